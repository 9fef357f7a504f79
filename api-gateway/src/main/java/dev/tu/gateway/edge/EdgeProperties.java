package dev.tu.gateway.edge;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Edge limits.
 *
 * @param rateLimitCapacity  requests one user may make in a burst
 * @param rateLimitRefill    how often one request's worth is given back
 * @param upstreamTimeout    longest an upstream call may take before the circuit breaker answers 503
 * @param accessLog          whether every request is logged, one INFO line when its response completes
 * @param bodyReadTimeout    longest pause between two reads of a request body before the connection is
 *                           dropped (a client that stops sending must not hold a connection open)
 */
@Validated
@ConfigurationProperties("tu.edge")
record EdgeProperties(
        @DefaultValue("100") @Min(1) long rateLimitCapacity,
        @DefaultValue("100ms") @NotNull Duration rateLimitRefill,
        @DefaultValue("30s") @NotNull Duration upstreamTimeout,
        @DefaultValue("true") boolean accessLog,
        @DefaultValue("10s") @NotNull Duration bodyReadTimeout) {
}
