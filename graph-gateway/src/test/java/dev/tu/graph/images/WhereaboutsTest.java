package dev.tu.graph.images;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tu.graph.downstream.AnalysisView;
import dev.tu.graph.downstream.ImageView;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WhereaboutsTest {

    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
    private static final Duration STUCK_AFTER = Duration.ofMinutes(2);

    @Test
    void aFreshUploadIsOnItsWayAndAnOldOneWithoutWorkflowIsStuckBeforeTheOrchestrator() {
        Whereabouts fresh = Whereabouts.of(image("2026-12-02T09:59:30Z"), null, NOW, STUCK_AFTER);
        assertThat(fresh.step()).isEqualTo("UPLOADED");
        assertThat(fresh.stuck()).isFalse();
        Whereabouts old = Whereabouts.of(image("2026-12-02T09:50:00Z"), null, NOW, STUCK_AFTER);
        assertThat(old.stuck()).isTrue();
        assertThat(old.explanation()).contains("outbox backlog", "bridge");
        assertThat(old.since()).isEqualTo("2026-12-02T09:50:00Z");
    }

    @Test
    void anAttemptIsStuckOnlyWellPastItsDeadline() {
        Whereabouts running = Whereabouts.of(image("2026-12-02T09:58:00Z"),
                analysis("ANALYZING", 2, "2026-12-02T09:59:00Z", "2026-12-02T10:04:00Z"), NOW, STUCK_AFTER);
        assertThat(running.step()).isEqualTo("ANALYZING");
        assertThat(running.attempts()).isEqualTo(2);
        assertThat(running.stuck()).isFalse();
        assertThat(running.explanation()).contains("Attempt 2", "10:04:00Z");
        Whereabouts overdue = Whereabouts.of(image("2026-12-02T09:00:00Z"),
                analysis("ANALYZING", 1, "2026-12-02T09:01:00Z", "2026-12-02T09:06:00Z"), NOW, STUCK_AFTER);
        assertThat(overdue.stuck()).isTrue();
        assertThat(overdue.explanation()).contains("passed its deadline", "orchestrator");
    }

    @Test
    void terminalStepsAreNotStuckAndAFailureSaysWhy() {
        assertThat(Whereabouts.of(image("2026-12-02T09:00:00Z"),
                analysis("COMPLETED", 1, "2026-12-02T09:01:00Z", null), NOW, STUCK_AFTER))
                .extracting(Whereabouts::step, Whereabouts::stuck).containsExactly("COMPLETED", false);
        var failed = new AnalysisView("i", "FAILED", 3, "2026-12-02T09:00:00Z", "2026-12-02T09:30:00Z", null, null,
                "TIMED_OUT", "No result after 3 attempts");
        Whereabouts whereabouts = Whereabouts.of(image("2026-12-02T09:00:00Z"), failed, NOW, STUCK_AFTER);
        assertThat(whereabouts.step()).isEqualTo("FAILED");
        assertThat(whereabouts.explanation()).contains("TIMED_OUT", "No result after 3 attempts", "re-analysis");
    }

    private static ImageView image(String uploadedAt) {
        return new ImageView("i", null, "a.jpg", "image/jpeg", 1, "x", 1, 1, 1, null, null, "alice", uploadedAt);
    }

    private static AnalysisView analysis(String status, int attempts, String updatedAt, String deadlineAt) {
        return new AnalysisView("i", status, attempts, "2026-12-02T09:00:00Z", updatedAt, deadlineAt, null, null, null);
    }
}
