package dev.tu.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tu.testsupport.GraphQl;
import dev.tu.testsupport.Keycloak;
import dev.tu.testsupport.Service;
import dev.tu.testsupport.Suite;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * API4 on the GraphQL surface, through the real api-gateway. Depth, alias amplification, complexity,
 * token bombs and introspection are proven in system-tests ReadPathIT; these are the remaining ways to
 * make one request cost many: fragment cycles, batched operations, an oversized document, many
 * operations in one document, and more subscriptions on one socket than the cap.
 */
class GraphQlAbuseIT {

    private static final String SPEC = "application/graphql-response+json";
    private static GraphQl graph;
    private static URI endpoint;
    private static String token;

    @BeforeAll
    static void client() {
        endpoint = Suite.shared().get(Service.API_GATEWAY).baseUri().resolve("graphql");
        graph = new GraphQl(endpoint);
        token = Keycloak.local().accessToken("alice");
    }

    @Test
    void aFragmentCycleIsRefusedBeforeExecution() {
        GraphQl.Response response = graph.post(token, """
                { me { ...A } }
                fragment A on Caller { tenant ...B }
                fragment B on Caller { username ...A }""", Map.of());
        assertThat(response.status()).as(response.raw()).isEqualTo(400);
        assertThat(response.json().path("data").isMissingNode() || response.json().path("data").isNull()).isTrue();
        assertThat(response.errorCodes()).as(response.raw()).containsOnly("GRAPHQL_VALIDATION_FAILED").isNotEmpty();
    }

    @Test
    void introspectionIsOffOutsideTheDevProfile() {
        GraphQl.Response schema = graph.post(token, "{ __schema { types { name } } }", Map.of());
        assertThat(schema.status()).as(schema.raw()).isEqualTo(400);
        assertThat(schema.json().path("data").isMissingNode() || schema.json().path("data").isNull()).isTrue();
        assertThat(schema.errorCodes()).containsExactly("INTROSPECTION_DISABLED");
        GraphQl.Response type = graph.post(token, "{ __type(name: \"Image\") { fields { name } } }", Map.of());
        assertThat(type.errorCodes()).as(type.raw()).containsExactly("INTROSPECTION_DISABLED");
        assertThat(type.raw()).doesNotContain("originalName");
    }

    @Test
    void aBatchOfOperationsInOneRequestIsRefused() {
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < 50; i++) {
            batch.append(i == 0 ? "" : ",").append("{\"query\":\"{ images(first: 100) { edges { node { id } } } }\"}");
        }
        batch.append(']');
        HttpResponse<String> response = graph.postRaw(token, batch.toString(), SPEC);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.body()).doesNotContain("\"edges\"").doesNotContain("Exception");
    }

    @Test
    void severalOperationsWithoutAChoiceAreRefused() {
        GraphQl.Response response = graph.post(token, "query A { me { tenant } } query B { me { username } }", Map.of());
        assertThat(response.status()).as(response.raw()).isEqualTo(400);
        assertThat(response.raw()).doesNotContain("\"tenant\":\"acme\"");
        assertThat(response.errorCodes()).as(response.raw()).isNotEmpty().allSatisfy(code -> assertThat(code).isNotBlank());
    }

    @Test
    void aDocumentOverTheSizeLimitIs413AtTheEdge() {
        String padding = "#".repeat(70 * 1024);
        HttpResponse<String> response = graph.postRaw(token, "{\"query\":\"{ me { tenant } }\\n" + padding + "\"}", SPEC);
        assertThat(response.statusCode()).isEqualTo(413);
    }

    @Test
    void repeatedDirectivesAndHugeVariablesAreRefused() {
        GraphQl.Response directives = graph.post(token,
                "{ me " + "@include(if: true) ".repeat(200) + "{ tenant } }", Map.of());
        assertThat(directives.status()).as(directives.raw()).isEqualTo(400);
        assertThat(directives.errorCodes()).isNotEmpty().containsOnly("GRAPHQL_VALIDATION_FAILED");
        GraphQl.Response variables = graph.post(token, "query($ids: [ID!]) { me { tenant } }",
                Map.of("ids", java.util.Collections.nCopies(5000, "00000000-0000-0000-0000-000000000000")));
        assertThat(variables.status()).as("unused big variables stay under the edge's 64 KB limit or are refused")
                .isIn(200, 400, 413);
    }

    /**
     * A socket through the gateway with the token in the handshake and in connection_init (the cap is under
     * test here, not how the token travels); a refused handshake shows its answer.
     */
    private static GraphQl.Connection connect() {
        try {
            return graph.connect(token, Map.of("Authorization", "Bearer " + token));
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof java.net.http.WebSocketHandshakeException refused) {
                throw new AssertionError("Handshake refused: " + refused.getResponse().statusCode() + " "
                        + refused.getResponse().headers().map() + " " + refused.getResponse().body(), e);
            }
            throw e;
        }
    }

    /** One socket, more subscriptions than the cap (10): the eleventh is refused with a code, the rest live. */
    @Test
    void moreSubscriptionsThanTheCapAreRefusedThroughTheGateway() {
        try (GraphQl.Connection connection = connect()) {
            assertThat(connection.awaitAcknowledged(Duration.ofSeconds(10))).isTrue();
            for (int i = 1; i <= 11; i++) {
                connection.subscribe(String.valueOf(i), "subscription { analysisUpdates { imageId status } }", Map.of());
            }
            await("the eleventh subscription refused").atMost(Duration.ofSeconds(10))
                    .until(() -> !connection.errors("11").isEmpty());
            assertThat(connection.errors("11").getFirst().toString()).contains("SUBSCRIPTION_LIMIT");
            assertThat(connection.errors("1")).isEmpty();
            assertThat(connection.closeCode()).as("the connection itself stays open").isNull();
        }
    }
}
