/** Rendering results for people (aligned tables, a progress bar) or for programs (JSON). */
package dev.tu.cli.output;
