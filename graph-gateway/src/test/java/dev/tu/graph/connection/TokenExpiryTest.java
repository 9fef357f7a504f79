package dev.tu.graph.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.web.socket.CloseStatus;
import reactor.core.Disposable;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The close-at-expiry schedule, on virtual time. */
class TokenExpiryTest {

    private static final Instant NOW = Instant.parse("2026-12-02T03:00:00Z");

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final List<String> closed = new CopyOnWriteArrayList<>();
    private final List<CloseStatus> statuses = new CopyOnWriteArrayList<>();
    private final SessionCloser closer = (id, status) -> {
        closed.add(id);
        statuses.add(status);
    };

    private TokenExpiry expiry(Duration margin) {
        return new TokenExpiry(Clock.fixed(NOW, ZoneOffset.UTC), time, margin, closer);
    }

    @Test
    void theConnectionIsClosedWith4403WhenTheTokenExpiresAndNotBefore() {
        expiry(Duration.ZERO).closeAtExpiry("s1", NOW.plusSeconds(300));

        time.advanceTimeBy(Duration.ofSeconds(299));
        assertThat(closed).isEmpty();
        time.advanceTimeBy(Duration.ofSeconds(1));
        assertThat(closed).containsExactly("s1");
        assertThat(statuses.getFirst().getCode()).isEqualTo(4403);
        assertThat(statuses.getFirst().getReason()).isEqualTo("Token expired");
    }

    @Test
    void theMarginClosesItEarlier() {
        expiry(Duration.ofSeconds(30)).closeAtExpiry("s1", NOW.plusSeconds(300));

        time.advanceTimeBy(Duration.ofSeconds(269));
        assertThat(closed).isEmpty();
        time.advanceTimeBy(Duration.ofSeconds(1));
        assertThat(closed).containsExactly("s1");
    }

    @Test
    void aConnectionThatEndedFirstIsNotClosedAgain() {
        Disposable timer = expiry(Duration.ZERO).closeAtExpiry("s1", NOW.plusSeconds(60));

        timer.dispose();
        time.advanceTimeBy(Duration.ofMinutes(5));
        assertThat(closed).isEmpty();
    }

    @Test
    void aTokenAtOrPastItsClosingTimeIsNotUsable() {
        TokenExpiry expiry = expiry(Duration.ofSeconds(30));

        assertThat(expiry.isUsable(NOW.plusSeconds(31))).isTrue();
        assertThat(expiry.isUsable(NOW.plusSeconds(30))).isFalse();
        assertThat(expiry.isUsable(NOW.minusSeconds(1))).isFalse();
    }
}
