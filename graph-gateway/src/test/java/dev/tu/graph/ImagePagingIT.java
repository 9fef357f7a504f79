package dev.tu.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tu.testsupport.GraphQl;
import dev.tu.testsupport.Keycloak;
import dev.tu.testsupport.SuiteLayout;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Relay paging of {@code images} with {@code first}/{@code after} against a stub ingestion-service that
 * pages by keyset cursor as the real one does: every edge has a cursor, any of them resumes the listing
 * right after its image, and pageInfo tells where the page sits.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "management.server.port=0")
class ImagePagingIT {

    private static final Map<String, String> infra = SuiteLayout.locate().infrastructure();
    private static final JsonMapper json = JsonMapper.builder().build();
    /** Newest first, as ingestion lists them; microsecond upload times, as PostgreSQL keeps them. */
    private static final List<Map<String, Object>> images = List.of(
            image("00000000-0000-0000-0000-000000000003", "2026-12-02T09:00:03.000003Z"),
            image("00000000-0000-0000-0000-000000000002", "2026-12-02T09:00:02.000002Z"),
            image("00000000-0000-0000-0000-000000000001", "2026-12-02T09:00:01.000001Z"));
    private static final HttpServer ingestion = stubIngestion();
    private static final String PAGE = """
            query($first: Int, $after: String) {
              images(first: $first, after: $after) {
                edges { cursor node { id } }
                pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
              }
            }""";

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", () -> infra.get("TU_ISSUER_URI"));
        registry.add("spring.rabbitmq.host", () -> infra.get("TU_RABBITMQ_HOST"));
        registry.add("spring.rabbitmq.port", () -> infra.get("TU_RABBITMQ_PORT"));
        registry.add("tu.downstream.ingestion-uri", () -> "http://127.0.0.1:" + ingestion.getAddress().getPort());
    }

    @AfterAll
    static void stopIngestion() {
        ingestion.stop(0);
    }

    @LocalServerPort
    int port;

    @Test
    void twoPagesWithFirstAndAfterAndACursorOnEveryEdge() {
        GraphQl graph = new GraphQl(URI.create("http://127.0.0.1:" + port + "/graphql"));
        String alice = Keycloak.local().accessToken("alice");

        JsonNode first = page(graph, alice, null);
        assertThat(ids(first)).containsExactly("00000000-0000-0000-0000-000000000003",
                "00000000-0000-0000-0000-000000000002");
        assertThat(first.path("edges").valueStream().map(edge -> edge.path("cursor").asString("")))
                .allMatch(cursor -> !cursor.isEmpty()).doesNotHaveDuplicates();
        JsonNode info = first.path("pageInfo");
        assertThat(info.path("hasNextPage").asBoolean()).isTrue();
        assertThat(info.path("hasPreviousPage").asBoolean()).isFalse();
        assertThat(info.path("startCursor").asString()).isEqualTo(first.at("/edges/0/cursor").asString());
        assertThat(info.path("endCursor").asString()).isEqualTo(first.at("/edges/1/cursor").asString());

        JsonNode second = page(graph, alice, info.path("endCursor").asString());
        assertThat(ids(second)).containsExactly("00000000-0000-0000-0000-000000000001");
        assertThat(second.path("pageInfo").path("hasNextPage").asBoolean()).isFalse();
        assertThat(second.path("pageInfo").path("hasPreviousPage").asBoolean()).isTrue();
        assertThat(second.path("pageInfo").path("endCursor").asString())
                .isEqualTo(second.at("/edges/0/cursor").asString());

        assertThat(ids(page(graph, alice, first.at("/edges/0/cursor").asString())))
                .as("a mid-page cursor resumes right after its image")
                .containsExactly("00000000-0000-0000-0000-000000000002", "00000000-0000-0000-0000-000000000001");
    }

    private static JsonNode page(GraphQl graph, String token, String after) {
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("first", 2);
        if (after != null) {
            variables.put("after", after);
        }
        GraphQl.Response response = graph.post(token, PAGE, variables);
        assertThat(response.errorCodes()).as(response.raw()).isEmpty();
        return response.json().path("data").path("images");
    }

    private static List<String> ids(JsonNode connection) {
        return connection.path("edges").valueStream().map(edge -> edge.path("node").path("id").asString()).toList();
    }

    private static Map<String, Object> image(String id, String uploadedAt) {
        Map<String, Object> image = new LinkedHashMap<>();
        image.put("id", id);
        image.put("originalName", id + ".jpg");
        image.put("contentType", "image/jpeg");
        image.put("sizeBytes", 1);
        image.put("sha256", "0".repeat(64));
        image.put("width", 1);
        image.put("height", 1);
        image.put("orientation", 1);
        image.put("uploadedBy", "alice");
        image.put("uploadedAt", uploadedAt);
        return image;
    }

    /** ingestion-service's cursor: upload time in microseconds and id, base64url. */
    private static String cursor(Map<String, Object> image) {
        Instant at = Instant.parse((String) image.get("uploadedAt"));
        long micros = at.getEpochSecond() * 1_000_000 + at.getNano() / 1000;
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((micros + ":" + image.get("id")).getBytes(StandardCharsets.UTF_8));
    }

    /** GET /api/v1/images?limit=&cursor=: the images after the cursor's, newest first. */
    private static HttpServer stubIngestion() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/api/v1/images", ImagePagingIT::list);
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void list(HttpExchange exchange) throws IOException {
        var query = UriComponentsBuilder.fromUri(exchange.getRequestURI()).build().getQueryParams();
        int limit = Integer.parseInt(query.getFirst("limit"));
        String after = query.getFirst("cursor");
        int from = 0;
        if (after != null) {
            String id = new String(Base64.getUrlDecoder().decode(after), StandardCharsets.UTF_8).split(":", 2)[1];
            while (!images.get(from).get("id").equals(id)) {
                from++;
            }
            from++;
        }
        List<Map<String, Object>> items = new ArrayList<>(images.subList(from, Math.min(images.size(), from + limit)));
        boolean more = from + limit < images.size();
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("items", items);
        page.put("nextCursor", more ? cursor(items.getLast()) : null);
        byte[] body = json.writeValueAsBytes(page);
        try (exchange) {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }
}
