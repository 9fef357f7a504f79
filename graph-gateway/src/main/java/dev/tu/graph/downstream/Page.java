package dev.tu.graph.downstream;

import java.util.List;

/** A page as the owners answer it: items and the cursor of the next page (null at the end). */
public record Page<T>(List<T> items, String nextCursor) {
}
