package dev.tu.graph.images;

import dev.tu.graph.downstream.ImageView;
import dev.tu.graph.downstream.Page;
import java.util.ArrayList;
import java.util.List;

/** A Relay-style connection over an owner's page. */
record Connection(List<Edge> edges, PageInfo pageInfo) {

    record Edge(ImageView node, String cursor) {
    }

    record PageInfo(boolean hasNextPage, String endCursor) {
    }

    static Connection of(Page<ImageView> page) {
        List<Edge> edges = new ArrayList<>();
        for (int i = 0; i < page.items().size(); i++) {
            boolean last = i == page.items().size() - 1;
            edges.add(new Edge(page.items().get(i), last ? page.nextCursor() : null));
        }
        return new Connection(edges, new PageInfo(page.nextCursor() != null, page.nextCursor()));
    }
}
