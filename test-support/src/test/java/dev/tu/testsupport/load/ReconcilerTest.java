package dev.tu.testsupport.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tu.testsupport.load.LoadGenerator.Accepted;
import dev.tu.testsupport.load.NotificationCapture.Notification;
import dev.tu.testsupport.load.Reconciler.Row;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ReconcilerTest {

    private static final Instant T0 = Instant.parse("2026-12-02T04:00:00Z");

    private final UUID done = UUID.randomUUID();
    private final UUID refused = UUID.randomUUID();
    private final UUID twice = UUID.randomUUID();
    private final UUID stuck = UUID.randomUUID();
    private final UUID missing = UUID.randomUUID();
    private final UUID silent = UUID.randomUUID();
    private final UUID late = UUID.randomUUID();

    @Test
    void countsEachOutcomeOnceAndNamesTheIds() {
        List<Accepted> accepted = List.of(upload(done), upload(refused), upload(twice), upload(stuck),
                upload(missing), upload(silent), upload(late));
        Map<UUID, List<Row>> rows = Map.of(
                done, List.of(row(done, "COMPLETED", null)),
                refused, List.of(row(refused, "FAILED", "UNREADABLE_IMAGE")),
                twice, List.of(row(twice, "COMPLETED", null)),
                stuck, List.of(row(stuck, "ANALYZING", null)),
                silent, List.of(row(silent, "COMPLETED", null)),
                late, List.of(row(late, "COMPLETED", null)));
        List<Notification> notifications = List.of(
                note("a", done, "ANALYZING", 1), note("b", done, "COMPLETED", 2),
                note("b", done, "COMPLETED", 3), // a redelivered copy: same id, not a duplicate
                note("c", refused, "FAILED", 4),
                note("d", twice, "COMPLETED", 5), note("e", twice, "COMPLETED", 6),
                note("f", late, "FAILED", 7), note("g", late, "COMPLETED", 8));

        Reconciliation result = Reconciler.reconcile(accepted, rows, notifications,
                Map.of("kafka:tu.image.uploaded.dlt ?", 1), Map.of("kill -9", 6));

        assertThat(result.accepted()).isEqualTo(7);
        assertThat(result.completed()).isEqualTo(4);
        assertThat(result.failed()).isEqualTo(1);
        assertThat(result.failureReasons()).containsExactly(Map.entry("UNREADABLE_IMAGE", 1));
        assertThat(result.lost()).containsExactlyInAnyOrder(stuck, missing);
        assertThat(result.duplicated()).containsExactly(twice);
        assertThat(result.unnotified()).containsExactly(silent);
        assertThat(result.disagreeing()).isEmpty();
        assertThat(result.revised()).containsExactly(late);
        // done: 2 s, refused: 4 s, twice: 5 s, late: 7 s (each its first terminal notification)
        assertThat(result.notificationLatency().millis(50)).isEqualTo(4000);
        assertThat(result.notificationLatency().millis(100)).isEqualTo(7000);
        assertThat(result.table()).contains("lost (must be 0)             2", "duplicates (must be 0)       1",
                "faults injected              6 {kill -9=6}", "failed, then completed late  1", "first lost:");
    }

    @Test
    void aNotificationThatContradictsTheTableIsReported() {
        Reconciliation result = Reconciler.reconcile(List.of(upload(done)),
                Map.of(done, List.of(row(done, "COMPLETED", null))), List.of(note("x", done, "FAILED", 1)), Map.of(),
                Map.of());
        assertThat(result.disagreeing()).containsExactly(done);
        assertThat(result.lost()).isEmpty();
    }

    private static Accepted upload(UUID id) {
        return new Accepted(id, "photo.jpg", false, T0);
    }

    private static Row row(UUID id, String status, String failureCode) {
        return new Row(id, status, 1, failureCode, null, T0);
    }

    private static Notification note(String id, UUID image, String status, int seconds) {
        return new Notification(id, image, status, null, T0.plusSeconds(seconds));
    }
}
