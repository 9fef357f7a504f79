package dev.tu.graph.connection;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.springframework.web.socket.CloseStatus;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

/**
 * When a connection's token runs out, the connection ends: closed with 4403 (graphql-transport-ws
 * "Forbidden", which clients such as graphql-ws retry, fetching a fresh token for the new
 * {@code connection_init}) a configurable margin before the token's {@code exp}.
 */
class TokenExpiry {

    static final CloseStatus EXPIRED = new CloseStatus(SessionCloser.FORBIDDEN, "Token expired");

    private final Clock clock;
    private final Scheduler scheduler;
    private final Duration margin;
    private final SessionCloser closer;

    TokenExpiry(Clock clock, Scheduler scheduler, Duration margin, SessionCloser closer) {
        this.clock = clock;
        this.scheduler = scheduler;
        this.margin = margin;
        this.closer = closer;
    }

    /** Whether a token expiring at {@code expiresAt} is still good enough to open a connection with. */
    boolean isUsable(Instant expiresAt) {
        return expiresAt == null || closingTime(expiresAt).isAfter(clock.instant());
    }

    /** Schedules the close of {@code sessionId}; dispose the result when the connection ends first. */
    Disposable closeAtExpiry(String sessionId, Instant expiresAt) {
        if (expiresAt == null) {
            return () -> { };
        }
        long delay = Math.max(0, Duration.between(clock.instant(), closingTime(expiresAt)).toMillis());
        return scheduler.schedule(() -> closer.close(sessionId, EXPIRED), delay, TimeUnit.MILLISECONDS);
    }

    private Instant closingTime(Instant expiresAt) {
        return expiresAt.minus(margin);
    }
}
