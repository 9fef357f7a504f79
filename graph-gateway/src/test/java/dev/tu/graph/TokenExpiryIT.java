package dev.tu.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tu.testsupport.GraphQl;
import dev.tu.testsupport.Keycloak;
import dev.tu.testsupport.SuiteLayout;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A connection ends with its token. The dev realm's tokens live 300 s; instead of waiting that long, this
 * gateway closes connections 280 s before expiry (the margin operators use so clients reconnect before
 * relayed calls fail), so a fresh real token has about 20 s of connection left.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.server.port=0",
        "tu.graphql.websocket.close-before-expiry=280s"})
class TokenExpiryIT {

    private static final Map<String, String> infra = SuiteLayout.locate().infrastructure();

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", () -> infra.get("TU_ISSUER_URI"));
        registry.add("spring.rabbitmq.host", () -> infra.get("TU_RABBITMQ_HOST"));
        registry.add("spring.rabbitmq.port", () -> infra.get("TU_RABBITMQ_PORT"));
    }

    @LocalServerPort
    int port;

    @Test
    void theConnectionIsClosedWhenItsTokenExpiresAndTheSpentTokenOpensNoOther() {
        GraphQl graph = new GraphQl(URI.create("http://127.0.0.1:" + port + "/graphql"));
        String token = Keycloak.local().freshAccessToken("alice");
        long opened = System.nanoTime();

        try (GraphQl.Connection connection = graph.connect(null, Map.of("Authorization", "Bearer " + token))) {
            assertThat(connection.awaitAcknowledged(Duration.ofSeconds(10))).isTrue();
            connection.subscribe("1", "subscription { analysisUpdates { imageId } }", Map.of());

            await("closed at expiry").atMost(Duration.ofSeconds(40)).until(() -> connection.closeCode() != null);
            assertThat(connection.closeCode()).isEqualTo(4403);
            assertThat(connection.closeReason()).isEqualTo("Token expired");
            assertThat(Duration.ofNanos(System.nanoTime() - opened)).as("not before the token's (shifted) expiry")
                    .isGreaterThan(Duration.ofSeconds(10));
        }
        try (GraphQl.Connection again = graph.connect(null, Map.of("Authorization", "Bearer " + token))) {
            assertThat(again.awaitAcknowledged(Duration.ofSeconds(10))).isFalse();
            assertThat(again.closeCode()).isEqualTo(4403);
            assertThat(again.closeReason()).isEqualTo("Token expired");
        }
    }
}
