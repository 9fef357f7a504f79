/** The {@code me} query: the caller as the graph gateway sees it. */
package dev.tu.graph.caller;
