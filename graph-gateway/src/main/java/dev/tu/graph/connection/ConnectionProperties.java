package dev.tu.graph.connection;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Limits of one GraphQL WebSocket connection.
 *
 * @param maxSubscriptions  subscriptions one connection may run at once; one more is refused with
 *                          {@code SUBSCRIPTION_LIMIT} while the others keep running
 * @param closeBeforeExpiry how long before its token expires a connection is closed (4403), so the
 *                          client reconnects with a fresh token before calls relayed with the old one fail
 * @param allowedOrigins    browser origins whose pages may open the socket (the web console's)
 */
@Validated
@ConfigurationProperties("tu.graphql.websocket")
record ConnectionProperties(
        @DefaultValue("10") @Min(1) int maxSubscriptions,
        @DefaultValue("0s") @NotNull Duration closeBeforeExpiry,
        @DefaultValue({"http://127.0.0.1:8080", "http://localhost:8080"}) @NotNull List<String> allowedOrigins) {
}
