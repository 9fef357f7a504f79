package dev.tu.graph.images;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tu.graph.downstream.ImageView;
import dev.tu.graph.downstream.Page;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectionTest {

    private static final ImageView NEWER = image("00000000-0000-0000-0000-000000000002", "2026-12-02T09:00:02.000002Z");
    private static final ImageView OLDER = image("00000000-0000-0000-0000-000000000001", "2026-12-02T09:00:01.000001Z");

    @Test
    void everyEdgeHasTheCursorOfItsPlaceAndTheLastOneTheOwnersNextCursor() {
        Connection connection = Connection.of(new Page<>(List.of(NEWER, OLDER), "owners-next"), null);

        assertThat(decode(connection.edges().getFirst().cursor()))
                .isEqualTo("1796202002000002:00000000-0000-0000-0000-000000000002");
        assertThat(connection.edges().getLast().cursor()).isEqualTo("owners-next");
        assertThat(connection.pageInfo()).isEqualTo(new Connection.PageInfo(true, false,
                connection.edges().getFirst().cursor(), "owners-next"));
    }

    @Test
    void theLastPageEndsAtItsLastEdgeAndAPageAfterACursorHasOneBefore() {
        Connection connection = Connection.of(new Page<>(List.of(OLDER), null), "some-cursor");

        String cursor = connection.edges().getFirst().cursor();
        assertThat(decode(cursor)).isEqualTo("1796202001000001:00000000-0000-0000-0000-000000000001");
        assertThat(connection.pageInfo()).isEqualTo(new Connection.PageInfo(false, true, cursor, cursor));
    }

    @Test
    void anEmptyPageHasNoCursors() {
        assertThat(Connection.of(new Page<>(List.of(), null), null).pageInfo())
                .isEqualTo(new Connection.PageInfo(false, false, null, null));
    }

    private static String decode(String cursor) {
        return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    }

    private static ImageView image(String id, String uploadedAt) {
        return new ImageView(id, null, "a.jpg", "image/jpeg", 1, "0".repeat(64), 1, 1, 1, null, null, "alice",
                uploadedAt);
    }
}
