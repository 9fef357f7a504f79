package dev.tu.graph.images;

import dev.tu.graph.downstream.ImageView;
import dev.tu.graph.downstream.Page;
import java.util.ArrayList;
import java.util.List;

/** A Relay-style connection over an owner's page: every edge has its cursor. */
record Connection(List<Edge> edges, PageInfo pageInfo) {

    record Edge(ImageView node, String cursor) {
    }

    /**
     * @param hasPreviousPage true when the page was asked for {@code after} a cursor: images come before it
     *                        (paging is forward only, so this is not a count of them)
     */
    record PageInfo(boolean hasNextPage, boolean hasPreviousPage, String startCursor, String endCursor) {
    }

    /** {@code after}: the cursor the page was asked for with, or null for the first page. */
    static Connection of(Page<ImageView> page, String after) {
        List<ImageView> items = page.items();
        List<Edge> edges = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            boolean last = i == items.size() - 1;
            // The owner's own cursor where it gave one: the next page then starts exactly where it says.
            String cursor = last && page.nextCursor() != null ? page.nextCursor() : ImageCursor.after(items.get(i));
            edges.add(new Edge(items.get(i), cursor));
        }
        return new Connection(edges, new PageInfo(page.nextCursor() != null, after != null,
                edges.isEmpty() ? null : edges.getFirst().cursor(), edges.isEmpty() ? null : edges.getLast().cursor()));
    }
}
