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

        byte[] photo = Photos.load("generator-sign.jpg");
        Map<Sample, Double> before = read(FLOW);
        GraphQl graph = new GraphQl(gateway.resolve("graphql"));
        String imageId;
        double openDuring;
        try (GraphQl.Subscription updates = graph.subscribe(Keycloak.local().accessToken("alice"),
                "subscription($asset: ID) { analysisUpdates(assetId: $asset) { imageId status } }",
                Map.of("asset", asset))) {
            // The socket's subscribe message is handled asynchronously: wait until graph-gateway counts it.
            await("graph-gateway counts the open subscription").atMost(Duration.ofSeconds(20))
                    .until(() -> metric(Service.GRAPH_GATEWAY, "tu_graphql_subscriptions") >= 1);
            openDuring = metric(Service.GRAPH_GATEWAY, "tu_graphql_subscriptions");
            var response = Uploads.upload(gateway, Keycloak.local().accessToken("alice"),
                    photo, "image/jpeg", "generator-sign.jpg", asset, null,
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

        Map<Sample, Double> after = read(FLOW);
        // Exact where only this test's upload can move the figure, at least where the shared suite may add.
        assertThat(moved(before, after, UPLOADS)).as("ingestion counted the upload").isEqualTo(1);
        assertThat(moved(before, after, UPLOADED_BYTES)).as("ingestion counted its bytes").isEqualTo(photo.length);
        assertThat(moved(before, after, INGESTION_POSTS)).as("ingestion's RED: one POST answered 202").isEqualTo(1);
        assertThat(moved(before, after, GATEWAY_UPLOADS)).as("the gateway's RED: one upload routed").isEqualTo(1);
        for (Sample analyzer : ANALYZERS) {
            assertThat(moved(before, after, analyzer)).as(analyzer.labels()[0] + " timed").isGreaterThanOrEqualTo(1);
        }
        assertThat(moved(before, after, ANALYSES)).as("the adapter counted the analysis").isGreaterThanOrEqualTo(1);
        assertThat(moved(before, after, ADAPTER_RECORDS)).as("the adapter's consumer RED").isGreaterThanOrEqualTo(1);
        assertThat(moved(before, after, BRIDGED)).as("the bridge carried the upload and the result")
                .isGreaterThanOrEqualTo(2);
        assertThat(moved(before, after, ORCHESTRATOR_EVENTS)).as("the orchestrator's consumer RED: both events")
                .isGreaterThanOrEqualTo(2);
        assertThat(moved(before, after, COMPLETED)).as("one more workflow completed").isGreaterThanOrEqualTo(1);
        assertThat(moved(before, after, NOTIFICATIONS_HEARD)).as("graph-gateway heard the notifications")
                .isGreaterThanOrEqualTo(1);
        await("the outbox drained").atMost(Duration.ofSeconds(30))
                .until(() -> metric(Service.INGESTION, "tu_outbox_backlog") == 0);
        assertThat(scrape(Service.BRIDGE)).as("the bridge reports its Kafka consumers' lag")
                .anyMatch(line -> line.startsWith("kafka_consumer_fetch_manager_records_lag_max{")
                        && line.contains("messaging-bridge"));
        assertThat(scrape(Service.ORCHESTRATOR)).as("no time series per image: routing keys stay off publish timers")
                .filteredOn(line -> line.startsWith("spring_rabbit_template_seconds_count{")).isNotEmpty()
                .noneMatch(line -> line.contains("routing_key"));
        await("graph-gateway counts the subscription closed").atMost(Duration.ofSeconds(10))
                .until(() -> metric(Service.GRAPH_GATEWAY, "tu_graphql_subscriptions") == openDuring - 1);

        Set<String> spanIds = spans(zipkin).stream().map(span -> span.path("id").asString()).collect(Collectors.toSet());
        for (Service service : List.of(Service.INGESTION, Service.VISION_ADAPTER, Service.ORCHESTRATOR)) {
            List<JsonNode> lines = logLines(service, imageId);
            assertThat(lines).as(service.id() + "'s log lines about the image").isNotEmpty().allSatisfy(line -> {
                assertThat(line.path("traceId").asString()).as(line.toString()).isEqualTo(traceId);
                assertThat(line.path("spanId").asString()).as(line.toString()).matches("[0-9a-f]{16}");
                assertThat(line.path("imageId").asString()).as(line.toString()).isEqualTo(imageId);
                assertThat(line.path("tenant").asString()).as(line.toString()).isEqualTo("acme");
                assertThat(line.path("message").asString()).as(line.toString()).isNotBlank();
            }).as(service.id() + " logs under a span of the trace")
                    .anySatisfy(line -> assertThat(spanIds).contains(line.path("spanId").asString()));
        }
        assertThat(logLines(Service.VISION_ADAPTER, imageId)).as("the adapter's lines name the event they handle")
                .allSatisfy(line -> assertThat(line.path("eventId").asString()).isNotBlank());
        assertThat(logLines(Service.ORCHESTRATOR, imageId)).as("the orchestrator logs each status change")
                .anySatisfy(line -> assertThat(line.path("message").asString()).endsWith("changes to COMPLETED (attempt 1)"));
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

    /** A metric of one service: its name and label fragments as written on the Prometheus endpoint. */
    private record Sample(Service service, String name, String... labels) {
    }

    private static final Sample UPLOADS = new Sample(Service.INGESTION, "tu_uploads_total", "outcome=\"accepted\"");
    private static final Sample UPLOADED_BYTES = new Sample(Service.INGESTION, "tu_uploads_bytes_sum");
    private static final Sample INGESTION_POSTS = new Sample(Service.INGESTION, "http_server_requests_seconds_count",
            "method=\"POST\"", "status=\"202\"", "uri=\"/api/v1/images\"");
    private static final Sample GATEWAY_UPLOADS = new Sample(Service.API_GATEWAY,
            "spring_cloud_gateway_requests_seconds_count", "httpStatusCode=\"202\"", "routeId=\"images\"");
    private static final List<Sample> ANALYZERS = java.util.stream.Stream.of("quality", "exif", "objects", "text", "faces")
            .map(analyzer -> new Sample(Service.VISION_ADAPTER, "tu_analyzer_seconds_count",
                    "analyzer=\"" + analyzer + "\"")).toList();
    private static final Sample ANALYSES = new Sample(Service.VISION_ADAPTER, "tu_analyses_total",
            "outcome=\"analyzed\"");
    private static final Sample ADAPTER_RECORDS = new Sample(Service.VISION_ADAPTER, "spring_kafka_listener_seconds_count",
            "messaging_source_name=\"tu.image.uploaded\"");
    private static final Sample BRIDGED = new Sample(Service.BRIDGE, "tu_bridge_messages_total",
            "direction=\"kafka-to-rabbit\"", "outcome=\"confirmed\"");
    private static final Sample ORCHESTRATOR_EVENTS = new Sample(Service.ORCHESTRATOR,
            "spring_rabbit_listener_seconds_count", "spring_rabbit_listener_id=\"orchestrator-events\"");
    private static final Sample COMPLETED = new Sample(Service.ORCHESTRATOR, "tu_workflows", "state=\"completed\"");
    private static final Sample NOTIFICATIONS_HEARD = new Sample(Service.GRAPH_GATEWAY,
            "spring_rabbit_listener_seconds_count", "spring_rabbit_listener_id=\"notifications\"");
    private static final List<Sample> FLOW = java.util.stream.Stream.concat(java.util.stream.Stream.of(UPLOADS,
            UPLOADED_BYTES, INGESTION_POSTS, GATEWAY_UPLOADS, ANALYSES, ADAPTER_RECORDS, BRIDGED, ORCHESTRATOR_EVENTS,
            COMPLETED, NOTIFICATIONS_HEARD), ANALYZERS.stream()).toList();

    private static Map<Sample, Double> read(List<Sample> samples) throws Exception {
        Map<Sample, Double> values = new java.util.HashMap<>();
        for (Sample sample : samples) {
            values.put(sample, metric(sample.service(), sample.name(), sample.labels()));
        }
        return values;
    }

    private static double moved(Map<Sample, Double> before, Map<Sample, Double> after, Sample sample) {
        return after.get(sample) - before.get(sample);
    }

    /** The sum of a metric's samples on a service's Prometheus endpoint that carry every label fragment (0 when absent). */
    private static double metric(Service service, String name, String... labels) throws Exception {
        return scrape(service).stream().filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .filter(line -> java.util.Arrays.stream(labels).allMatch(line::contains))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static List<String> scrape(Service service) throws Exception {
        URI endpoint = Suite.shared().get(service).managementUri().resolve("actuator/prometheus");
        return http.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body().lines().toList();
    }

    /** The service's log lines that name the image, each of which must be one JSON object. */
    private static List<JsonNode> logLines(Service service, String imageId) throws Exception {
        return java.nio.file.Files.readAllLines(Suite.shared().get(service).logFile()).stream()
                .filter(line -> line.contains(imageId)).map(line -> {
                    try {
                        return json.readTree(line);
                    } catch (tools.jackson.core.JacksonException e) {
                        throw new AssertionError(service.id() + " wrote a log line that is not JSON: " + line, e);
                    }
                }).toList();
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
