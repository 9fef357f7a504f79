package dev.tu.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tu.testsupport.GraphQl;
import dev.tu.testsupport.Photos;
import dev.tu.testsupport.Keycloak;
import dev.tu.testsupport.Service;
import dev.tu.testsupport.Suite;
import dev.tu.testsupport.Uploads;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The read path through the real api-gateway with real tokens: uploads travel ingestion → Kafka →
 * bridge → RabbitMQ → orchestrator, and one GraphQL query returns a page of images with their
 * analyses; another tenant sees none of it; a subscription sees status changes as they happen; the
 * limits refuse abusive queries with codes.
 */
class ReadPathIT {

    private static final String PAGE_QUERY = """
            query Page($asset: ID!) {
              images(filter: {assetId: $asset}, first: 10) {
                edges { node { id originalName analysis { status attempts
                  result { objects { label confidence box { x y width height } } text { label } quality { label } } } } }
                pageInfo { hasNextPage endCursor }
              }
            }""";

    private static Suite suite;
    private static GraphQl graph;
    private static final String asset = "EXC-" + UUID.randomUUID().toString().substring(0, 8);
    private static final List<String> imageIds = new ArrayList<>();

    @BeforeAll
    static void uploadThroughTheGateway() {
        suite = Suite.shared();
        URI gateway = suite.get(Service.API_GATEWAY).baseUri();
        graph = new GraphQl(gateway.resolve("graphql"));
        for (String photo : List.of("street-sign-car-people.jpg", "generator-sign.jpg", "road-sign-text.jpg")) {
            var response = Uploads.upload(gateway, Keycloak.local().accessToken("alice"),
                    Photos.load(photo), "image/jpeg", photo, asset, null);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            imageIds.add(response.body().replaceFirst(".*?\"id\":\"([0-9a-f-]{36})\".*", "$1"));
        }
    }

    /**
     * The whole pipeline, seen through one query: ingestion → Kafka → adapter (real models) → Kafka →
     * bridge → RabbitMQ → orchestrator, then GraphQL composes the images with their analyses.
     */
    @Test
    void aPageOfImagesComesWithTheirAnalysesInOneQuery() {
        await("every upload analysed and visible through GraphQL").atMost(Duration.ofSeconds(120)).until(() -> {
            JsonNode edges = page("alice").json().path("data").path("images").path("edges");
            return edges.size() == 3 && edges.valueStream().allMatch(edge ->
                    edge.path("node").path("analysis").path("status").asString("").equals("COMPLETED"));
        });
        GraphQl.Response response = page("alice");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.errorCodes()).isEmpty();
        List<JsonNode> nodes = response.json().path("data").path("images").path("edges").valueStream()
                .map(edge -> edge.path("node")).toList();
        assertThat(nodes).extracting(node -> node.path("id").asString()).containsExactlyInAnyOrderElementsOf(imageIds);
        JsonNode street = nodes.stream().filter(node -> node.path("originalName").asString()
                .equals("street-sign-car-people.jpg")).findFirst().orElseThrow().path("analysis").path("result");
        assertThat(street.path("objects").valueStream().map(o -> o.path("label").asString())).contains("car");
        assertThat(street.path("text").valueStream().map(t -> t.path("label").asString())).contains("PROHIBITED");
        JsonNode generator = nodes.stream().filter(node -> node.path("originalName").asString()
                .equals("generator-sign.jpg")).findFirst().orElseThrow().path("analysis").path("result");
        assertThat(generator.path("text").valueStream().map(t -> t.path("label").asString())).contains("GM125");

        JsonNode whereabouts = graph.post(Keycloak.local().accessToken("alice"),
                "query($id: ID!) { image(id: $id) { whereabouts { step since attempts stuck explanation } } }",
                Map.of("id", imageIds.getFirst())).json().path("data").path("image").path("whereabouts");
        assertThat(whereabouts.path("step").asString()).isEqualTo("COMPLETED");
        assertThat(whereabouts.path("stuck").asBoolean()).isFalse();
        assertThat(whereabouts.path("attempts").asInt()).isGreaterThanOrEqualTo(1);
    }

    /**
     * Relay paging through the real ingestion: two pages with first/after, and a mid-page edge's cursor
     * (graph-gateway builds those in ingestion's keyset format) resumes right after its image.
     */
    @Test
    void imagesPageWithFirstAndAfterAndEveryEdgeHasACursor() {
        String token = Keycloak.local().accessToken("alice");
        String query = """
                query($asset: ID!, $after: String) {
                  images(filter: {assetId: $asset}, first: 2, after: $after) {
                    edges { cursor node { id } }
                    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
                  }
                }""";
        JsonNode first = connection(graph.post(token, query, Map.of("asset", asset)));
        assertThat(first.path("edges").size()).isEqualTo(2);
        assertThat(first.path("pageInfo").path("hasNextPage").asBoolean()).isTrue();
        assertThat(first.path("pageInfo").path("hasPreviousPage").asBoolean()).isFalse();
        assertThat(first.path("pageInfo").path("startCursor").asString()).isEqualTo(first.at("/edges/0/cursor").asString());

        JsonNode second = connection(graph.post(token, query,
                Map.of("asset", asset, "after", first.path("pageInfo").path("endCursor").asString())));
        assertThat(second.path("edges").size()).isEqualTo(1);
        assertThat(second.path("pageInfo").path("hasNextPage").asBoolean()).isFalse();
        assertThat(second.path("pageInfo").path("hasPreviousPage").asBoolean()).isTrue();
        List<String> all = new ArrayList<>(ids(first));
        all.addAll(ids(second));
        assertThat(all).containsExactlyInAnyOrderElementsOf(imageIds);

        JsonNode resumed = connection(graph.post(token, query,
                Map.of("asset", asset, "after", first.at("/edges/0/cursor").asString())));
        assertThat(ids(resumed)).containsExactlyElementsOf(all.subList(1, 3));
    }

    private static JsonNode connection(GraphQl.Response response) {
        assertThat(response.errorCodes()).as(response.raw()).isEmpty();
        return response.json().path("data").path("images");
    }

    private static List<String> ids(JsonNode connection) {
        return connection.path("edges").valueStream().map(edge -> edge.path("node").path("id").asString()).toList();
    }

    @Test
    void anotherTenantSeesNothingOnAnyPath() {
        String bob = Keycloak.local().accessToken("bob");
        String id = imageIds.getFirst();

        assertThat(page("bob").json().path("data").path("images").path("edges").size()).isZero();
        assertThat(graph.post(bob, "query($id: ID!) { image(id: $id) { id } }", Map.of("id", id))
                .json().path("data").path("image").isNull()).isTrue();
        assertThat(graph.post(bob, "query($id: ID!) { analysis(imageId: $id) { status } }", Map.of("id", id))
                .json().path("data").path("analysis").isNull()).isTrue();
        assertThat(graph.post(bob, "mutation($id: ID!) { requestReanalysis(imageId: $id) { status } }",
                Map.of("id", id)).errorCodes()).containsExactly("NOT_FOUND");
    }

    @Test
    void aSubscriptionSeesTheStatusChangesOfItsImagesOnly() {
        String id = imageIds.get(1);
        // alice connects as a browser does: no header on the socket, the token in connection_init only;
        // bob's client sends it in the handshake header as well.
        try (GraphQl.Connection alice = graph.connect(null,
                Map.of("Authorization", "Bearer " + Keycloak.local().accessToken("alice")));
                GraphQl.Subscription bob = graph.subscribe(Keycloak.local().accessToken("bob"),
                        "subscription { analysisUpdates { imageId status } }", Map.of())) {
            assertThat(alice.awaitAcknowledged(Duration.ofSeconds(10))).as("acknowledged through the gateway").isTrue();
            alice.subscribe("1", "subscription($ids: [ID!]) { analysisUpdates(imageIds: $ids) { imageId status attempts } }",
                    Map.of("ids", List.of(id)));
            GraphQl.Response reanalysis = graph.post(Keycloak.local().accessToken("alice"),
                    "mutation($id: ID!) { requestReanalysis(imageId: $id) { status attempts } }", Map.of("id", id));
            assertThat(reanalysis.errorCodes()).as(reanalysis.raw()).isEmpty();

            await("alice sees the new attempt").atMost(Duration.ofSeconds(20)).until(() -> alice.events("1").stream()
                    .anyMatch(event -> event.path("data").path("analysisUpdates").path("imageId").asString().equals(id)
                            && event.path("data").path("analysisUpdates").path("attempts").asInt() >= 2));
            assertThat(bob.events()).as("bob's tenant has no such change").isEmpty();
        }
    }

    @Test
    void abusiveQueriesAreRefusedWithCodes() {
        String token = Keycloak.local().accessToken("alice");
        String deep = "{ images { edges { node { analysis { result { analyzers { findings { box { x } } } } } } } } }";
        StringBuilder aliases = new StringBuilder("{");
        for (int i = 0; i < 20; i++) {
            aliases.append(" a").append(i).append(": me { tenant }");
        }
        aliases.append(" }");

        GraphQl.Response tooDeep = graph.post(token, deep, Map.of());
        assertThat(tooDeep.errorCodes()).containsExactly("QUERY_TOO_DEEP");
        assertThat(tooDeep.status()).as("refused before execution: no data, 400").isEqualTo(400);
        assertThat(graph.post(token, aliases.toString(), Map.of()).errorCodes()).containsExactly("TOO_MANY_ALIASES");
        assertThat(graph.post(token, "{ " + "me { tenant } ".repeat(400) + "}", Map.of()).errorCodes())
                .containsExactly("QUERY_TOO_COMPLEX");
        assertThat(graph.post(token, "{ me { tenant " + "__typename ".repeat(3000) + "} }", Map.of()).raw())
                .as("a token bomb is refused by the parser").containsIgnoringCase("token");
        assertThat(graph.post(token, "{ __schema { types { name } } }", Map.of()).raw())
                .as("introspection is off outside the dev profile").doesNotContain("\"types\":[{");
        assertThat(graph.post(token, "{ images(first: 1000) { pageInfo { hasNextPage } } }", Map.of()).errorCodes())
                .containsExactly("BAD_USER_INPUT");
    }

    /** GraphQL over HTTP as the specification asks, through the api-gateway. */
    @Test
    void graphQlOverHttpThroughTheGateway() {
        String token = Keycloak.local().accessToken("alice");
        String spec = "application/graphql-response+json";

        var get = graph.get(token, "{ me { tenant } }", Map.of(), spec);
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith(spec));
        assertThat(get.body()).contains("\"tenant\":\"acme\"");

        var mutation = graph.get(token, "mutation { requestReanalysis(imageId: \"x\") { status } }", Map.of(), spec);
        assertThat(mutation.statusCode()).isEqualTo(405);
        assertThat(mutation.headers().firstValue("Allow")).hasValue("POST");

        assertThat(graph.postRaw(token, "{\"query\":\"{ me { \"}", spec).statusCode()).as("syntax error").isEqualTo(400);
        assertThat(graph.postRaw(token, "{\"query\":\"{ nope }\"}", spec).statusCode()).as("invalid").isEqualTo(400);
        assertThat(graph.postRaw(token, "{\"variables\":{}}", spec).statusCode()).as("no query").isEqualTo(400);
        assertThat(graph.postRaw(token, "{\"query\":\"{ nope }\"}", "application/json").statusCode())
                .as("legacy application/json").isEqualTo(200);
        assertThat(graph.get(null, "{ me { tenant } }", Map.of(), spec).statusCode()).isEqualTo(401);
    }

    /** Without a valid token in connection_init, the socket the gateway let through is closed with 4403. */
    @Test
    void aSocketWithoutAValidTokenIsClosedWith4403ThroughTheGateway() {
        try (GraphQl.Connection anonymous = graph.connect(null, Map.of());
                GraphQl.Connection forged = graph.connect(null, Map.of("token", "e30.e30.AAAA"))) {
            assertThat(anonymous.awaitAcknowledged(Duration.ofSeconds(10))).isFalse();
            assertThat(forged.awaitAcknowledged(Duration.ofSeconds(10))).isFalse();
            assertThat(anonymous.closeCode()).isEqualTo(4403);
            assertThat(forged.closeCode()).isEqualTo(4403);
        }
    }

    private static GraphQl.Response page(String user) {
        return graph.post(Keycloak.local().accessToken(user), PAGE_QUERY, Map.of("asset", asset));
    }
}
