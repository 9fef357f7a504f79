package dev.tu.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tu.contracts.Exchanges;
import dev.tu.testsupport.GraphQl;
import dev.tu.testsupport.Keycloak;
import dev.tu.testsupport.SuiteLayout;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * GraphQL over HTTP (GET and POST, media types and status codes) and over WebSocket (the token in
 * connection_init, 4403 for a missing or forged one, the subscription cap), against the real Keycloak
 * and RabbitMQ. The owning services are absent on purpose: fields that need them fail, which is how
 * partial data is shown. GraphiQL and introspection are off (the default profile).
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.server.port=0",
        // As in production (the build's test JVMs log plain text): log context keys are JSON fields.
        "logging.structured.format.console=ecs",
        "tu.graphql.websocket.max-subscriptions=3"})
class GraphQlTransportsIT {

    private static final Map<String, String> infra = SuiteLayout.locate().infrastructure();
    private static final String GRAPHQL_RESPONSE = "application/graphql-response+json";
    private static final String LIVE = "subscription { analysisUpdates { imageId status } }";
    private static final JsonMapper json = JsonMapper.builder().build();

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", () -> infra.get("TU_ISSUER_URI"));
        registry.add("spring.rabbitmq.host", () -> infra.get("TU_RABBITMQ_HOST"));
        registry.add("spring.rabbitmq.port", () -> infra.get("TU_RABBITMQ_PORT"));
        String nowhere = "http://127.0.0.1:" + closedPort();
        registry.add("tu.downstream.ingestion-uri", () -> nowhere);
        registry.add("tu.downstream.orchestrator-uri", () -> nowhere);
    }

    @LocalServerPort
    int port;

    @Autowired
    RabbitTemplate rabbit;

    private GraphQl graph;
    private String alice;

    @BeforeEach
    void client() {
        graph = new GraphQl(URI.create("http://127.0.0.1:" + port + "/graphql"));
        alice = Keycloak.local().accessToken("alice");
    }

    @Test
    void aQueryOverGetIsAnsweredLikeAPost() {
        HttpResponse<String> response = graph.get(alice, "query($id: ID!) { me { tenant } image(id: $id) { id } }",
                Map.of("id", "x"), GRAPHQL_RESPONSE);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith(GRAPHQL_RESPONSE));
        assertThat(json.readTree(response.body()).at("/data/me/tenant").asString()).isEqualTo("acme");
        assertThat(graph.get(alice, "{ me { tenant } }", Map.of(), "application/json").headers()
                .firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    }

    @Test
    void aMutationOverGetIs405WithAllowPost() {
        HttpResponse<String> response = graph.get(alice,
                "mutation { requestReanalysis(imageId: \"x\") { status } }", Map.of(), GRAPHQL_RESPONSE);

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("POST");
        assertThat(response.body()).contains("MUTATION_OVER_GET");
        assertThat(graph.get(alice, "query Q { me { tenant } } mutation M { requestReanalysis(imageId: \"x\") { status } }",
                Map.of(), GRAPHQL_RESPONSE).statusCode()).as("no operationName: the engine refuses it, not 405")
                .isEqualTo(400);
    }

    @Test
    void aRequestWithoutAQueryIs400() {
        assertThat(graph.postRaw(alice, "{\"variables\":{}}", GRAPHQL_RESPONSE).statusCode()).isEqualTo(400);
        assertThat(graph.postRaw(alice, "{\"query\":", GRAPHQL_RESPONSE).statusCode()).isEqualTo(400);
        assertThat(graph.get(alice, "", Map.of(), GRAPHQL_RESPONSE).statusCode()).isEqualTo(400);
    }

    @Test
    void aDocumentThatFailsToParseOrValidateIs400WithGraphQlResponseJsonAnd200WithJson() {
        HttpResponse<String> syntax = graph.postRaw(alice, "{\"query\":\"{ me { \"}", GRAPHQL_RESPONSE);
        HttpResponse<String> invalid = graph.get(alice, "{ nope }", Map.of(), GRAPHQL_RESPONSE);
        HttpResponse<String> legacy = graph.postRaw(alice, "{\"query\":\"{ nope }\"}", "application/json");

        assertThat(syntax.statusCode()).isEqualTo(400);
        assertThat(json.readTree(syntax.body()).has("data")).isFalse();
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.body()).contains("ValidationError");
        assertThat(legacy.statusCode()).isEqualTo(200);
        assertThat(legacy.body()).contains("ValidationError");
    }

    @Test
    void fieldErrorsAre200WithPartialData() {
        HttpResponse<String> response = graph.postRaw(alice,
                "{\"query\":\"{ me { tenant } image(id: \\\"x\\\") { id } }\"}", GRAPHQL_RESPONSE);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json.readTree(response.body());
        assertThat(body.at("/data/me/tenant").asString()).isEqualTo("acme");
        assertThat(body.at("/data/image").isNull()).isTrue();
        assertThat(body.at("/errors/0/extensions/code").asString()).isEqualTo("INGESTION_UNAVAILABLE");
    }

    @Test
    void graphiQlAndIntrospectionAreOffOutsideTheDevProfile() throws Exception {
        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/graphiql?path=/graphql"))
                .header("Authorization", "Bearer " + alice).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> schema = graph.get(alice, "{ __schema { types { name } } }", Map.of(), GRAPHQL_RESPONSE);

        assertThat(page.statusCode()).isEqualTo(404);
        assertThat(page.body()).doesNotContain("<html");
        assertThat(schema.body()).doesNotContain("\"types\":[");
    }

    @Test
    void anUnreadableNotificationIsLoggedWithItsEventImageAndTenant(CapturedOutput output) {
        String eventId = "status-changed:" + UUID.randomUUID();
        String imageId = UUID.randomUUID().toString();
        MessageProperties properties = new MessageProperties();
        properties.setMessageId(eventId);
        properties.setHeader("cloudEvents_subject", imageId);
        properties.setHeader("cloudEvents_tenant", "acme");
        rabbit.send(Exchanges.NOTIFICATIONS, "acme." + imageId,
                new Message("{not json".getBytes(StandardCharsets.UTF_8), properties));

        await("the warning, with the notification's keys").atMost(Duration.ofSeconds(10)).until(() -> output.getAll()
                .lines().filter(line -> line.contains(eventId) && line.startsWith("{")).map(json::readTree)
                .anyMatch(line -> line.path("message").asString().contains("unreadable notification")
                        && line.path("eventId").asString().equals(eventId)
                        && line.path("imageId").asString().equals(imageId)
                        && line.path("tenant").asString().equals("acme")));
    }

    @Test
    void anAcceptThisEndpointCannotAnswerIs406() {
        assertThat(graph.postRaw(alice, "{\"query\":\"{ me { tenant } }\"}", "text/plain").statusCode())
                .isEqualTo(406);
    }

    @Test
    void aBrowserStyleConnectionAuthenticatesInConnectionInitAndSeesItsTenantOnly() {
        try (GraphQl.Connection bearer = graph.connect(null, Map.of("Authorization", "Bearer " + alice));
                GraphQl.Connection plain = graph.connect(null, Map.of("token", alice))) {
            assertThat(bearer.awaitAcknowledged(Duration.ofSeconds(10))).as("Authorization key").isTrue();
            assertThat(plain.awaitAcknowledged(Duration.ofSeconds(10))).as("token key").isTrue();
            bearer.subscribe("a", LIVE, Map.of());
            plain.subscribe("b", LIVE, Map.of());

            String mine = UUID.randomUUID().toString();
            String foreign = UUID.randomUUID().toString();
            await("both see the acme update").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(300))
                    .until(() -> {
                        // Sent until seen: a subscription starts listening a moment after its subscribe.
                        notify("initech", foreign);
                        notify("acme", mine);
                        return seen(bearer.events("a"), mine) && seen(plain.events("b"), mine);
                    });
            assertThat(seen(bearer.events("a"), foreign)).as("another tenant's update").isFalse();
            assertThat(seen(plain.events("b"), foreign)).as("another tenant's update").isFalse();
        }
    }

    /**
     * A second replica next to this test's: each binds its own queue to tu.notifications, so one
     * notification reaches the subscribers of both. (Were the queue shared, each notification would go
     * to one replica only and no single id would be seen by both.)
     */
    @Test
    void eachReplicaRelaysEveryNotificationToItsOwnSubscribers() {
        String nowhere = "http://127.0.0.1:" + closedPort();
        try (ConfigurableApplicationContext replica = new SpringApplicationBuilder(GraphGatewayApplication.class).run(
                "--server.port=0", "--management.server.port=0",
                // It re-initialises the JVM's logging: keep this class's format for the tests after it.
                "--logging.structured.format.console=ecs",
                "--spring.security.oauth2.resourceserver.jwt.issuer-uri=" + infra.get("TU_ISSUER_URI"),
                "--spring.rabbitmq.host=" + infra.get("TU_RABBITMQ_HOST"),
                "--spring.rabbitmq.port=" + infra.get("TU_RABBITMQ_PORT"),
                "--tu.downstream.ingestion-uri=" + nowhere, "--tu.downstream.orchestrator-uri=" + nowhere)) {
            GraphQl other = new GraphQl(URI.create("http://127.0.0.1:"
                    + replica.getEnvironment().getProperty("local.server.port") + "/graphql"));
            try (GraphQl.Connection here = graph.connect(null, Map.of("token", alice));
                    GraphQl.Connection there = other.connect(null, Map.of("token", alice))) {
                assertThat(here.awaitAcknowledged(Duration.ofSeconds(10))).isTrue();
                assertThat(there.awaitAcknowledged(Duration.ofSeconds(10))).isTrue();
                here.subscribe("a", LIVE, Map.of());
                there.subscribe("b", LIVE, Map.of());

                List<String> sent = new CopyOnWriteArrayList<>();
                await("one notification reaches both replicas' subscribers").atMost(Duration.ofSeconds(20))
                        .pollInterval(Duration.ofMillis(300)).until(() -> {
                            // A new id each time: only an id both saw shows both queues got it.
                            String id = UUID.randomUUID().toString();
                            sent.add(id);
                            notify("acme", id);
                            return sent.stream().anyMatch(each -> seen(here.events("a"), each)
                                    && seen(there.events("b"), each));
                        });
            }
        }
    }

    @Test
    void theHandshakeHeaderStillAuthenticatesAConnection() {
        try (GraphQl.Connection connection = graph.connect(alice, Map.of())) {
            assertThat(connection.awaitAcknowledged(Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void aConnectionWithoutATokenOrWithAForgedOneIsClosedWith4403() {
        String[] parts = alice.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"acme\"", "\"globex\"");
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];

        try (GraphQl.Connection none = graph.connect(null, Map.of());
                GraphQl.Connection tampered = graph.connect(null, Map.of("Authorization", "Bearer " + forged));
                GraphQl.Connection garbage = graph.connect(null, Map.of("token", "not-a-jwt"))) {
            assertThat(none.awaitAcknowledged(Duration.ofSeconds(10))).isFalse();
            assertThat(tampered.awaitAcknowledged(Duration.ofSeconds(10))).isFalse();
            assertThat(garbage.awaitAcknowledged(Duration.ofSeconds(10))).isFalse();
            assertThat(none.closeCode()).isEqualTo(4403);
            assertThat(none.closeReason()).contains("needs a token");
            assertThat(tampered.closeCode()).isEqualTo(4403);
            assertThat(tampered.closeReason()).isEqualTo("Invalid token");
            assertThat(garbage.closeCode()).isEqualTo(4403);
        }
    }

    @Test
    void oneSubscriptionOverTheCapIsRefusedWithACodeAndTheOthersKeepRunning() {
        try (GraphQl.Connection connection = graph.connect(null, Map.of("token", alice))) {
            assertThat(connection.awaitAcknowledged(Duration.ofSeconds(10))).isTrue();
            List<String> ids = List.of("1", "2", "3");
            ids.forEach(id -> connection.subscribe(id, LIVE, Map.of()));
            connection.subscribe("4", LIVE, Map.of());

            await("the fourth is refused").atMost(Duration.ofSeconds(10))
                    .until(() -> !connection.errors("4").isEmpty());
            assertThat(connection.errors("4").getFirst().at("/payload/0/extensions/code").asString())
                    .isEqualTo("SUBSCRIPTION_LIMIT");
            String first = UUID.randomUUID().toString();
            await("the three run on").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(300)).until(() -> {
                notify("acme", first);
                return ids.stream().allMatch(id -> seen(connection.events(id), first));
            });
            assertThat(connection.events("4")).isEmpty();

            connection.complete("1");
            connection.subscribe("5", LIVE, Map.of());
            String second = UUID.randomUUID().toString();
            await("a completed subscription frees its place").atMost(Duration.ofSeconds(15))
                    .pollInterval(Duration.ofMillis(300)).until(() -> {
                        notify("acme", second);
                        return seen(connection.events("5"), second);
                    });
            assertThat(connection.errors("5")).isEmpty();
            assertThat(connection.closeCode()).isNull();
        }
    }

    private void notify(String tenant, String imageId) {
        String update = json.writeValueAsString(Map.of("imageId", imageId, "tenant", tenant, "status", "ANALYZING",
                "attempts", 1, "updatedAt", "2026-12-02T00:00:00Z"));
        rabbit.convertAndSend(Exchanges.NOTIFICATIONS, "test." + tenant, update.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean seen(List<JsonNode> events, String imageId) {
        return events.stream().anyMatch(event -> imageId.equals(event.at("/data/analysisUpdates/imageId").asString()));
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
