package dev.tu.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tu.testsupport.GraphQl;
import dev.tu.testsupport.Keycloak;
import dev.tu.testsupport.Photos;
import dev.tu.testsupport.Service;
import dev.tu.testsupport.Suite;
import dev.tu.testsupport.SuiteLayout;
import dev.tu.testsupport.Uploads;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One photo uploaded through the api-gateway, followed through Zipkin: a single trace id covers the upload
 * at the gateway, ingestion, the outbox publish, the adapter and each analyzer, the result on Kafka, the
 * bridge, RabbitMQ, the orchestrator, its notification and the GraphQL subscription push, and every span
 * hangs off another span of the same trace (parent/child links across both brokers). After the flow each
 * service's Prometheus endpoint shows the domain metrics moved by it, and the log lines about the image are
 * JSON carrying its trace id and image id.
 */
class OneTraceIT {

    private static final HttpClient http = HttpClient.newHttpClient();
    private static final JsonMapper json = JsonMapper.builder().build();

    @Test
    void oneTraceCoversTheJourneyFromUploadToTheSubscriptionPush() throws Exception {
        Suite suite = Suite.shared();
        URI gateway = suite.get(Service.API_GATEWAY).baseUri();
        String asset = "TRACE-" + UUID.randomUUID().toString().substring(0, 8);
        String traceId = HexFormat.of().formatHex(randomBytes(16));
        String clientSpanId = HexFormat.of().formatHex(randomBytes(8));

        double uploadsBefore = metric(Service.INGESTION, "tu_uploads_total", "outcome=\"accepted\"");
        double analysesBefore = metric(Service.VISION_ADAPTER, "tu_analyses_total", "outcome=\"analyzed\"");
        double textTimingsBefore = metric(Service.VISION_ADAPTER, "tu_analyzer_seconds_count", "analyzer=\"text\"");
        double bridgedBefore = metric(Service.BRIDGE, "tu_bridge_messages_total",
                "direction=\"kafka-to-rabbit\",outcome=\"confirmed\"");
        GraphQl graph = new GraphQl(gateway.resolve("graphql"));
        String imageId;
        double openDuring;
        try (GraphQl.Subscription updates = graph.subscribe(Keycloak.local().accessToken("alice"),
                "subscription($asset: ID) { analysisUpdates(assetId: $asset) { imageId status } }",
                Map.of("asset", asset))) {
            // The socket's subscribe message is handled asynchronously: wait until graph-gateway counts it.
            await("graph-gateway counts the open subscription").atMost(Duration.ofSeconds(20))
                    .until(() -> metric(Service.GRAPH_GATEWAY, "tu_graphql_subscriptions", "") >= 1);
            openDuring = metric(Service.GRAPH_GATEWAY, "tu_graphql_subscriptions", "");
            var response = Uploads.upload(gateway, Keycloak.local().accessToken("alice"),
                    Photos.load("generator-sign.jpg"), "image/jpeg", "generator-sign.jpg", asset, null,
                    Map.of("traceparent", "00-" + traceId + "-" + clientSpanId + "-01"));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            imageId = response.body().replaceFirst(".*?\"id\":\"([0-9a-f-]{36})\".*", "$1");
            await("the subscription hears the analysis completed").atMost(Duration.ofSeconds(120))
                    .until(() -> updates.events().stream().anyMatch(event -> event.toString().contains(imageId)
                            && event.toString().contains("COMPLETED")));
        }

        URI zipkin = URI.create(SuiteLayout.locate().infrastructure()
                .getOrDefault("TU_ZIPKIN_URL", "http://127.0.0.1:9411") + "/api/v2/trace/" + traceId);
        await("every hop reported to Zipkin, linked parent to child").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> assertJourney(spans(zipkin), clientSpanId));

        assertThat(metric(Service.INGESTION, "tu_uploads_total", "outcome=\"accepted\""))
                .as("ingestion counted the upload").isEqualTo(uploadsBefore + 1);
        assertThat(metric(Service.VISION_ADAPTER, "tu_analyses_total", "outcome=\"analyzed\""))
                .as("the adapter counted the analysis").isGreaterThanOrEqualTo(analysesBefore + 1);
        assertThat(metric(Service.VISION_ADAPTER, "tu_analyzer_seconds_count", "analyzer=\"text\""))
                .as("the text model was timed").isGreaterThanOrEqualTo(textTimingsBefore + 1);
        assertThat(metric(Service.BRIDGE, "tu_bridge_messages_total", "direction=\"kafka-to-rabbit\",outcome=\"confirmed\""))
                .as("the bridge carried the upload and the result").isGreaterThanOrEqualTo(bridgedBefore + 2);
        assertThat(metric(Service.ORCHESTRATOR, "tu_workflows", "state=\"completed\"")).isGreaterThanOrEqualTo(1);
        await("graph-gateway counts the subscription closed").atMost(Duration.ofSeconds(10))
                .until(() -> metric(Service.GRAPH_GATEWAY, "tu_graphql_subscriptions", "") == openDuring - 1);

        List<JsonNode> adapterLines = logLines(Service.VISION_ADAPTER, imageId);
        assertThat(adapterLines).as("the adapter's log lines about the image").isNotEmpty()
                .allSatisfy(line -> {
                    assertThat(line.path("traceId").asString()).isEqualTo(traceId);
                    assertThat(line.path("imageId").asString()).isEqualTo(imageId);
                    assertThat(line.path("tenant").asString()).isEqualTo("acme");
                });
        assertThat(logLines(Service.INGESTION, imageId)).as("ingestion's log lines about the image").isNotEmpty()
                .allSatisfy(line -> assertThat(line.path("traceId").asString()).isEqualTo(traceId));
    }

    /** The journey's hops, each under another span of the same trace (or under the client's span). */
    private static void assertJourney(List<JsonNode> spans, String clientSpanId) {
        assertThat(services(spans)).containsAll(List.of("api-gateway", "ingestion-service", "ai-vision-adapter",
                "messaging-bridge", "analysis-orchestrator", "graph-gateway"));
        Set<String> ids = spans.stream().map(span -> span.path("id").asString()).collect(Collectors.toSet());
        assertThat(spans).as("every span is the child of another span of this trace (or of the client's)")
                .allSatisfy(span -> assertThat(span.path("parentId").asString(""))
                        .isIn(union(ids, clientSpanId)));
        assertThat(names(spans, "ingestion-service")).anyMatch(name -> name.startsWith("outbox publish"));
        assertThat(names(spans, "ai-vision-adapter"))
                .contains("analyze quality", "analyze faces", "analyze exif", "analyze objects", "analyze text")
                .anyMatch(name -> name.contains("tu.image.uploaded") && name.contains("process"))
                .anyMatch(name -> name.contains("tu.image.analyzed") && name.contains("send"));
        assertThat(names(spans, "messaging-bridge")).anyMatch(name -> name.startsWith("bridge tu.image.uploaded"))
                .anyMatch(name -> name.startsWith("bridge tu.image.analyzed"));
        assertThat(names(spans, "analysis-orchestrator")).anyMatch(name -> name.contains("receive"))
                .anyMatch(name -> name.startsWith("tu.notifications"));
        assertThat(names(spans, "graph-gateway")).anyMatch(name -> name.contains("receive"))
                .anyMatch(name -> name.startsWith("subscription push"));
        assertThat(spans).as("the adapter's consumer span hangs under ingestion's outbox publish span")
                .anySatisfy(span -> {
                    assertThat(span.path("localEndpoint").path("serviceName").asString()).isEqualTo("ai-vision-adapter");
                    assertThat(span.path("kind").asString()).isEqualTo("CONSUMER");
                    assertThat(parent(spans, span).path("name").asString()).startsWith("outbox publish");
                });
    }

    /** A sample's value from a service's Prometheus endpoint (0 when absent); {@code labels} as written there. */
    private static double metric(Service service, String name, String labels) throws Exception {
        URI endpoint = Suite.shared().get(service).managementUri().resolve("actuator/prometheus");
        String body = http.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return body.lines().filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .filter(line -> line.contains(labels))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    /** The service's JSON log lines that name the image. */
    private static List<JsonNode> logLines(Service service, String imageId) throws Exception {
        return java.nio.file.Files.readAllLines(Suite.shared().get(service).logFile()).stream()
                .filter(line -> line.startsWith("{") && line.contains(imageId))
                .map(json::readTree).toList();
    }


    /** The trace's spans so far; none while Zipkin has not stored any or does not answer in time. */
    private static List<JsonNode> spans(URI trace) throws InterruptedException {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(trace).timeout(Duration.ofSeconds(15))
                    .build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? json.readTree(response.body()).valueStream().toList() : List.of();
        } catch (java.io.IOException e) {
            return List.of();
        }
    }

    private static Set<String> services(List<JsonNode> spans) {
        return spans.stream().map(span -> span.path("localEndpoint").path("serviceName").asString())
                .collect(Collectors.toSet());
    }

    private static List<String> names(List<JsonNode> spans, String service) {
        return spans.stream().filter(span -> span.path("localEndpoint").path("serviceName").asString().equals(service))
                .map(span -> span.path("name").asString()).toList();
    }

    private static JsonNode parent(List<JsonNode> spans, JsonNode span) {
        return spans.stream().filter(candidate -> candidate.path("id").asString()
                .equals(span.path("parentId").asString())).findFirst().orElseThrow();
    }

    private static Set<String> union(Set<String> ids, String extra) {
        return java.util.stream.Stream.concat(ids.stream(), java.util.stream.Stream.of(extra)).collect(Collectors.toSet());
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }
}
