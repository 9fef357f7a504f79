/**
 * The {@code tu} command line: its commands (picocli), the target it talks to (local suite or kind),
 * and its exit codes. Login and tokens live in {@code auth}, the gateway calls in {@code api}, tables in
 * {@code output}.
 */
package dev.tu.cli;
