package dev.tu.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tu.testsupport.Keycloak;
import dev.tu.testsupport.SuiteLayout;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The gateway's edge policies against in-process stub upstreams and real Keycloak tokens: correlation
 * id, access log, security headers, retries of safe calls only, timeouts and open circuits as 503
 * problems, rate limit with Retry-After, size limit, CORS.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.server.port=0",
        // As in production (the build's test JVMs log plain text): the access log's fields are JSON fields.
        "logging.structured.format.console=ecs",
        "tu.edge.rate-limit-capacity=20",
        "tu.edge.rate-limit-refill=1h",
        "tu.edge.upstream-timeout=1500ms",
        "spring.cloud.gateway.server.webflux.httpclient.response-timeout=1500ms"})
class EdgePoliciesIT {

    private static final Map<String, String> infra = SuiteLayout.locate().infrastructure();
    private static final AtomicInteger failingHits = new AtomicInteger();
    private static final AtomicReference<String> seenCorrelationId = new AtomicReference<>();
    private static final HttpServer upstream = stubUpstream();
    private static final HttpClient http = HttpClient.newHttpClient();
    private static final JsonMapper json = JsonMapper.builder().build();

    @DynamicPropertySource
    static void routes(DynamicPropertyRegistry registry) {
        registry.add("tu.routes.ingestion-uri", () -> "http://127.0.0.1:" + upstream.getAddress().getPort());
        registry.add("tu.routes.graph-uri", () -> "http://127.0.0.1:" + closedPort());
        registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", () -> infra.get("TU_ISSUER_URI"));
    }

    @AfterAll
    static void stopUpstream() {
        upstream.stop(0);
    }

    @LocalServerPort
    int port;

    @Test
    void aCorrelationIdIsAddedPassedUpstreamAndReturned() throws Exception {
        HttpResponse<String> response = send("GET", "/api/v1/images/ok", "alice", null, Map.of());

        assertThat(response.statusCode()).isEqualTo(200);
        String id = response.headers().firstValue("X-Correlation-Id").orElseThrow();
        assertThat(seenCorrelationId.get()).isEqualTo(id);
        assertThat(send("GET", "/api/v1/images/ok", "alice", null, Map.of("X-Correlation-Id", "ticket-12345678"))
                .headers().firstValue("X-Correlation-Id")).hasValue("ticket-12345678");
    }

    @Test
    void eachRequestIsOneAccessLineWithItsFieldsAndNoSecrets(CapturedOutput output) throws Exception {
        String id = "access-" + UUID.randomUUID();
        String token = Keycloak.local().accessToken("alice");
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/v1/images/ok?cursor=query-secret-text"))
                .header("Authorization", "Bearer " + token).header("X-Correlation-Id", id).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        String anonymous = "access-" + UUID.randomUUID();
        assertThat(send("GET", "/api/v1/images/ok", null, null, Map.of("X-Correlation-Id", anonymous)).statusCode())
                .isEqualTo(401);

        // The line is written as the response completes, which may be just after the client has it.
        await().atMost(Duration.ofSeconds(5)).until(() -> !accessLines(output, id).isEmpty()
                && !accessLines(output, anonymous).isEmpty());
        List<JsonNode> lines = accessLines(output, id);
        assertThat(lines).hasSize(1);
        JsonNode line = lines.getFirst();
        assertThat(line.path("log").path("level").asString()).isEqualTo("INFO");
        assertThat(line.path("method").asString()).isEqualTo("GET");
        assertThat(line.path("path").asString()).isEqualTo("/api/v1/images/ok");
        assertThat(line.path("status").asInt()).isEqualTo(200);
        assertThat(line.path("durationMs").isNumber()).isTrue();
        assertThat(line.path("routeId").asString()).isEqualTo("images");
        assertThat(line.path("tenant").asString()).isEqualTo("acme");
        assertThat(line.path("subject").asString()).isNotBlank();

        JsonNode refused = accessLines(output, anonymous).getFirst();
        assertThat(refused.path("status").asInt()).isEqualTo(401);
        assertThat(refused.has("subject")).isFalse();

        String[] jwt = token.split("\\.");
        assertThat(output.getAll()).doesNotContain(jwt[1]).doesNotContain(jwt[2]).doesNotContain("query-secret-text");
    }

    @Test
    void proxiedAndFallbackAnswersCarryTheSecurityHeaders() throws Exception {
        HttpResponse<String> proxied = send("GET", "/api/v1/images/ok", "alice", null, Map.of());
        HttpResponse<String> fallback = send("POST", "/graphql", "bob", "{\"query\":\"{ me { tenant } }\"}",
                Map.of("Content-Type", "application/json"));

        assertThat(proxied.statusCode()).isEqualTo(200);
        assertThat(fallback.statusCode()).isEqualTo(503);
        for (HttpResponse<String> response : List.of(proxied, fallback)) {
            var headers = response.headers();
            assertThat(headers.firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(headers.firstValue("X-Frame-Options")).hasValue("DENY");
            assertThat(headers.firstValue("Referrer-Policy")).hasValue("no-referrer");
            assertThat(headers.firstValue("Cache-Control")).hasValueSatisfying(
                    value -> assertThat(value).contains("no-store"));
            assertThat(headers.firstValue("Content-Security-Policy")).hasValueSatisfying(
                    value -> assertThat(value).contains("frame-ancestors 'none'"));
            assertThat(headers.firstValue("Strict-Transport-Security")).as("only ever sent over https").isEmpty();
        }
    }

    @Test
    void anUpstreamsOwnCachePolicyIsKept() throws Exception {
        assertThat(send("GET", "/api/v1/images/cacheable", "alice", null, Map.of()).headers()
                .firstValue("Cache-Control")).hasValue("private, max-age=300");
    }

    @Test
    void withoutATokenTheGatewayItselfAnswers401() throws Exception {
        assertThat(send("GET", "/api/v1/images/ok", null, null, Map.of()).statusCode()).isEqualTo(401);
    }

    @Test
    void aSafeCallIsRetriedAndAnUnsafeOneIsNot() throws Exception {
        failingHits.set(0);
        assertThat(send("GET", "/api/v1/images/failing", "alice", null, Map.of()).statusCode()).isEqualTo(500);
        assertThat(failingHits.get()).as("1 try + 2 retries").isEqualTo(3);

        failingHits.set(0);
        send("POST", "/api/v1/images/failing", "alice", "x", Map.of());
        assertThat(failingHits.get()).as("POST is never retried").isEqualTo(1);
    }

    @Test
    void aSlowUpstreamIsA503ProblemNotAHang() throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> response = send("GET", "/api/v1/images/slow", "bob", null, Map.of());
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(response.body()).contains("UPSTREAM_UNAVAILABLE");
        assertThat(millis).as("answered within the timeout plus retries, not after the upstream's 20 s")
                .isLessThan(10_000);
    }

    @Test
    void aDownUpstreamIsA503Problem() throws Exception {
        HttpResponse<String> response = send("POST", "/graphql", "bob", "{\"query\":\"{ me { tenant } }\"}",
                Map.of("Content-Type", "application/json"));
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).contains("UPSTREAM_UNAVAILABLE").contains("graph-gateway");
    }

    @Test
    void overTheRateLimitIs429WithRetryAfter() throws Exception {
        int status = 0;
        HttpResponse<String> response = null;
        for (int i = 0; i < 21 && status != 429; i++) {
            response = send("GET", "/api/v1/images/ok", "carol", null, Map.of());
            status = response.statusCode();
        }
        assertThat(status).isEqualTo(429);
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
        assertThat(response.body()).contains("RATE_LIMITED");
    }

    @Test
    void aGraphQlBodyOverTheSizeLimitIs413() throws Exception {
        String huge = "{\"query\":\"" + "x".repeat(70 * 1024) + "\"}";
        assertThat(send("POST", "/graphql", "admin", huge, Map.of("Content-Type", "application/json")).statusCode())
                .isEqualTo(413);
    }

    @Test
    void corsAllowsTheWebConsoleAndNoOtherOrigin() throws Exception {
        HttpResponse<String> console = send("OPTIONS", "/graphql", null, null, Map.of(
                "Origin", "http://127.0.0.1:8080", "Access-Control-Request-Method", "POST"));
        HttpResponse<String> evil = send("OPTIONS", "/graphql", null, null, Map.of(
                "Origin", "https://evil.example", "Access-Control-Request-Method", "POST"));

        assertThat(console.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://127.0.0.1:8080");
        assertThat(evil.statusCode()).isEqualTo(403);
        assertThat(evil.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    private HttpResponse<String> send(String method, String path, String user, String body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (user != null) {
            request.header("Authorization", "Bearer " + Keycloak.local().accessToken(user));
        }
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<JsonNode> accessLines(CapturedOutput output, String correlationId) {
        return output.getAll().lines().filter(line -> line.contains(correlationId) && line.startsWith("{"))
                .map(json::readTree)
                .filter(line -> "dev.tu.gateway.access".equals(line.path("log").path("logger").asString()))
                .toList();
    }

    /**
     * ok: 200 and remembers the correlation id; cacheable: 200 with its own Cache-Control; failing: 500;
     * slow: answers after 20 s.
     */
    private static HttpServer stubUpstream() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/api/v1/images/ok", exchange -> {
                seenCorrelationId.set(exchange.getRequestHeaders().getFirst("X-Correlation-Id"));
                reply(exchange, 200, "{\"items\":[]}");
            });
            server.createContext("/api/v1/images/cacheable", exchange -> {
                exchange.getResponseHeaders().set("Cache-Control", "private, max-age=300");
                reply(exchange, 200, "{}");
            });
            server.createContext("/api/v1/images/failing", exchange -> {
                failingHits.incrementAndGet();
                reply(exchange, 500, "{}");
            });
            server.createContext("/api/v1/images/slow", exchange -> CompletableFuture.runAsync(
                    () -> reply(exchange, 200, "{}"), CompletableFuture.delayedExecutor(20, TimeUnit.SECONDS)));
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void reply(HttpExchange exchange, int status, String body) {
        try (exchange) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        } catch (IOException e) {
            // The gateway gave up on this call already: nothing to answer.
        }
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
