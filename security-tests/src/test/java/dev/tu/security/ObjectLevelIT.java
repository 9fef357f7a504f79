package dev.tu.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tu.testsupport.GraphQl;
import dev.tu.testsupport.HostileImages;
import dev.tu.testsupport.Keycloak;
import dev.tu.testsupport.Photos;
import dev.tu.testsupport.Service;
import dev.tu.testsupport.Suite;
import dev.tu.testsupport.Uploads;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * API1 (object-level authorisation) and API3 (property-level) through every path a client has: REST
 * through the api-gateway, the orchestrator's REST from inside, GraphQL over HTTP and over WebSocket.
 * Tenant globex (bob) aims at tenant acme's (alice's) images by id; each path answers as if the image
 * did not exist. Also what is served: originals only as nosniff attachments; derivatives re-encoded,
 * faces pixelated, an appended payload gone.
 */
class ObjectLevelIT {

    private static final JsonMapper json = JsonMapper.builder().build();
    private static final String ASSET = "SEC-" + UUID.randomUUID().toString().substring(0, 8);
    private static final byte[] SCRIPT = "<script>alert(document.domain)</script><?php system($_GET['c']); ?>"
            .getBytes(StandardCharsets.UTF_8);

    private static Suite suite;
    private static URI gateway;
    private static GraphQl graph;
    private static String alice;
    private static String bob;
    private static String polyglotId;
    private static String faceId;
    private static byte[] polyglot;

    @BeforeAll
    static void aliceUploads() {
        suite = Suite.shared();
        gateway = suite.get(Service.API_GATEWAY).baseUri();
        graph = new GraphQl(gateway.resolve("graphql"));
        alice = Keycloak.local().accessToken("alice");
        bob = Keycloak.local().accessToken("bob");
        polyglot = HostileImages.jpegPolyglot(HostileImages.jpeg(320, 240), SCRIPT);
        polyglotId = id(upload(alice, polyglot, "application/octet-stream", "polyglot.jpg", Map.of()));
        faceId = id(upload(alice, Photos.load("astronaut-face.png"), "image/png", "astronaut-face.png", Map.of()));
    }

    @Test
    void anotherTenantsImageDoesNotExistOnAnyRestPath() {
        URI images = gateway.resolve("api/v1/images/");
        String missing = UUID.randomUUID().toString();
        for (String path : List.of("%s", "%s/content")) {
            HttpResponse<String> theirs = Http.get(images.resolve(path.formatted(polyglotId)), bob);
            HttpResponse<String> nobodys = Http.get(images.resolve(path.formatted(missing)), bob);
            assertThat(theirs.statusCode()).as("bob GET images/" + path).isEqualTo(404);
            assertThat(theirs.body().replace(polyglotId, "ID")).as("indistinguishable from an id nobody has")
                    .isEqualTo(nobodys.body().replace(missing, "ID"));
            assertNothingLeaks(theirs.body());
        }
        assertThat(items(Http.get(gateway.resolve("api/v1/images?ids=" + polyglotId + "," + faceId), bob)))
                .as("bob's batch lookup by alice's ids").isEmpty();
        assertThat(items(Http.get(gateway.resolve("api/v1/images?assetId=" + ASSET), bob)))
                .as("bob's list of alice's asset").isEmpty();
        assertThat(items(Http.get(gateway.resolve("api/v1/images?assetId=" + ASSET), alice)))
                .as("control: alice lists her asset").hasSizeGreaterThanOrEqualTo(2);

        URI analyses = suite.get(Service.ORCHESTRATOR).baseUri().resolve("api/v1/analyses/");
        HttpResponse<String> analysis = Http.get(analyses.resolve(polyglotId), bob);
        assertThat(analysis.statusCode()).isEqualTo(404);
        assertNothingLeaks(analysis.body());
        HttpResponse<String> reanalysis = Http.post(analyses.resolve(polyglotId + "/reanalysis"), bob,
                "application/json", "");
        assertThat(reanalysis.statusCode()).as("bob re-analyses alice's image").isEqualTo(404);
        assertNothingLeaks(reanalysis.body());
        URI batch = suite.get(Service.ORCHESTRATOR).baseUri().resolve("api/v1/analyses?imageIds=" + polyglotId);
        assertThat(items(Http.get(batch, bob))).as("bob's batch of analyses").isEmpty();
        await("control: alice's batch has her analysis").atMost(Duration.ofSeconds(60))
                .until(() -> items(Http.get(batch, alice)).size() == 1);
    }

    @Test
    void anotherTenantsImageDoesNotExistInGraphQl() {
        // image, analysis and requestReanalysis by id are in system-tests ReadPathIT; these are the other ways in.
        GraphQl.Response viaAsset = graph.post(bob, "query($a: ID!) { asset(id: $a) { images { edges { node { id } } } } }",
                Map.of("a", ASSET));
        assertThat(viaAsset.raw()).doesNotContain(polyglotId).doesNotContain(faceId);
        GraphQl.Response page = graph.post(bob, "{ images(first: 100) { edges { node { id originalName } } } }", Map.of());
        assertThat(page.raw()).doesNotContain(polyglotId).doesNotContain("polyglot.jpg");
        GraphQl.Response reanalysis = graph.post(bob, "mutation($id: ID!) { requestReanalysis(imageId: $id) { status } }",
                Map.of("id", polyglotId));
        assertThat(reanalysis.errorCodes()).containsExactly("NOT_FOUND");
        assertNothingLeaks(reanalysis.raw());
    }

    /** bob subscribes to alice's image by id; alice's own subscription is the control that events do flow. */
    @Test
    void aSubscriptionToAnotherTenantsImageSeesNothing() {
        String query = "subscription($ids: [ID!]) { analysisUpdates(imageIds: $ids) { imageId status attempts } }";
        try (GraphQl.Subscription theirs = graph.subscribe(bob, query, Map.of("ids", List.of(faceId)));
                GraphQl.Subscription own = graph.subscribe(alice, query, Map.of("ids", List.of(faceId)))) {
            awaitCompleted(faceId);
            GraphQl.Response again = graph.post(alice, "mutation($id: ID!) { requestReanalysis(imageId: $id) { status } }",
                    Map.of("id", faceId));
            assertThat(again.errorCodes()).as(again.raw()).isEmpty();
            await("alice sees her re-analysis").atMost(Duration.ofSeconds(30)).until(() -> !own.events().isEmpty());
            // Both sockets are fed by the same notification: give bob's as long again before judging it empty.
            await("bob sees nothing of it").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                    .until(() -> theirs.events().isEmpty());
            assertThat(theirs.errors()).allSatisfy(error -> assertNothingLeaks(error.toString()));
        }
    }

    /**
     * Queries and the mutation sent over the socket (graphql-transport-ws carries any operation) are held to
     * the same rule as over HTTP: bob's answers are those for an image nobody has; alice's are the control.
     */
    @Test
    void overTheSocketAnotherTenantsImageDoesNotExistEither() {
        Map<String, String> operations = Map.of(
                "image", "query($id: ID!) { image(id: $id) { id originalName assetId } }",
                "analysis", "query($id: ID!) { analysis(imageId: $id) { imageId status } }",
                "reanalysis", "mutation($id: ID!) { requestReanalysis(imageId: $id) { status } }");
        try (GraphQl.Connection theirs = graph.connect(bob, Map.of("Authorization", "Bearer " + bob));
                GraphQl.Connection own = graph.connect(alice, Map.of("Authorization", "Bearer " + alice))) {
            assertThat(theirs.awaitAcknowledged(Duration.ofSeconds(10))).as("bob's socket is open").isTrue();
            assertThat(own.awaitAcknowledged(Duration.ofSeconds(10))).as("alice's socket is open").isTrue();
            operations.forEach((id, query) -> theirs.subscribe(id, query, Map.of("id", polyglotId)));
            own.subscribe("image", operations.get("image"), Map.of("id", polyglotId));
            await("every operation answered").atMost(Duration.ofSeconds(30))
                    .until(() -> operations.keySet().stream().allMatch(theirs::isCompleted) && own.isCompleted("image"));

            assertThat(own.events("image").toString()).as("control: alice reads her image over the socket")
                    .contains(polyglotId);
            operations.keySet().forEach(id -> {
                String answer = theirs.events(id).toString() + theirs.errors(id);
                assertThat(answer).as("bob's " + id + " over the socket").doesNotContain("polyglot.jpg")
                        .doesNotContain(ASSET);
                assertNothingLeaks(answer);
            });
            assertThat(theirs.events("image")).singleElement().satisfies(result -> {
                assertThat(result.path("data").path("image").isNull()).as(result.toString()).isTrue();
                // A nullable field: null, as for an id nobody has (an error, if any, may only say NOT_FOUND).
                assertThat(result.path("errors").findValuesAsString("code")).as(result.toString())
                        .isSubsetOf("NOT_FOUND");
            });
            assertThat(theirs.events("reanalysis")).as(theirs.events("reanalysis") + " " + theirs.errors("reanalysis"))
                    .singleElement().satisfies(result -> assertThat(result.path("errors").findValuesAsString("code"))
                            .as(result.toString()).containsExactly("NOT_FOUND"));
            assertThat(theirs.events("analysis").toString()).doesNotContain("COMPLETED").doesNotContain("ANALYZING");
        }
    }

    /** API3: what a client sends beyond the documented fields changes nothing; what it reads is the view only. */
    @Test
    void aClientCannotSetOwnerTenantStatusOrResult() throws Exception {
        byte[] image = HostileImages.png(48, 48);
        HttpResponse<String> response = upload(alice, image, "image/png", "props.png", Map.of(
                "tenant", "globex", "uploadedBy", "bob", "owner", "bob", "status", "COMPLETED",
                "sha256", "0".repeat(64), "result", "{\"objects\":[]}", "id", UUID.randomUUID().toString()));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode accepted = json.readTree(response.body());
        String id = accepted.path("id").asString();
        assertThat(accepted.path("status").asString()).isEqualTo("UPLOADED");
        assertThat(accepted.path("image").path("uploadedBy").asString()).isEqualTo("alice");
        assertThat(accepted.path("image").path("sha256").asString()).isNotEqualTo("0".repeat(64)).hasSize(64);
        assertThat(accepted.path("image").has("objectKey")).as("storage keys stay inside").isFalse();
        assertThat(accepted.path("image").has("tenant")).isFalse();
        assertThat(Http.get(gateway.resolve("api/v1/images/" + id), bob).statusCode())
                .as("a tenant field in the form did not move the image to globex").isEqualTo(404);
        assertThat(Http.get(gateway.resolve("api/v1/images/" + id), alice).statusCode()).isEqualTo(200);

        GraphQl.Response extraArgument = graph.post(alice,
                "mutation($id: ID!) { requestReanalysis(imageId: $id, status: COMPLETED) { status } }", Map.of("id", id));
        assertThat(extraArgument.status()).as("a status argument does not exist: %s", extraArgument.raw()).isEqualTo(400);
        GraphQl.Response extraFilter = graph.post(alice, "{ images(filter: {assetId: \"x\", tenant: \"globex\"}) { edges { node { id } } } }",
                Map.of());
        assertThat(extraFilter.status()).as("a tenant filter does not exist: %s", extraFilter.raw()).isEqualTo(400);
    }

    /** Originals are served only as downloads the browser will not sniff or render. */
    @Test
    void anOriginalIsServedAsANosniffAttachmentWithItsVerifiedType() {
        HttpResponse<byte[]> download = Http.getBytes(gateway.resolve("api/v1/images/" + polyglotId + "/content"), alice);
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(download.headers().firstValue("Content-Disposition")).hasValueSatisfying(value ->
                assertThat(value).startsWith("attachment"));
        assertThat(download.headers().firstValue("Content-Type")).as("the sniffed type, not the client's octet-stream")
                .hasValue("image/jpeg");
        assertThat(download.body()).as("the original is kept as uploaded (the test's control)").isEqualTo(polyglot);
    }

    /**
     * The derivative browsers are shown is a fresh JPEG: the script in the comment segment and the archive and
     * script after the image (the polyglot ends like a JPEG, so it passes inspection) do not survive.
     */
    @Test
    void aDerivativeIsReEncodedAndNoAppendedPayloadSurvives() throws IOException {
        JsonNode result = awaitCompleted(polyglotId);
        byte[] derivative = ObjectStore.read(result.path("derivativeKey").asString());
        assertThat(indexOf(polyglot, SCRIPT)).as("control: the original carries the script").isPositive();
        assertThat(indexOf(derivative, SCRIPT)).as("script in the derivative").isEqualTo(-1);
        assertThat(indexOf(derivative, new byte[] {'P', 'K', 3, 4})).as("zip header in the derivative").isEqualTo(-1);
        assertThat(derivative[derivative.length - 2] & 0xFF).isEqualTo(0xFF);
        assertThat(derivative[derivative.length - 1] & 0xFF).as("ends where a JPEG ends").isEqualTo(0xD9);
        assertThat(ImageIO.read(new ByteArrayInputStream(derivative))).as("a decodable image").isNotNull();
    }

    /**
     * The adapter's face boxes are pixelated in the derivative: inside them the derivative differs from the
     * original far more than elsewhere, where only JPEG re-encoding changed it.
     */
    @Test
    void facesArePixelatedInTheDerivative() throws IOException {
        JsonNode result = awaitCompleted(faceId);
        List<JsonNode> faces = result.path("results").valueStream()
                .filter(analyzer -> analyzer.path("analyzer").asString().equals("faces"))
                .flatMap(analyzer -> analyzer.path("findings").valueStream()).map(face -> face.path("box")).toList();
        assertThat(faces).as("the astronaut's face is found: %s", result).isNotEmpty();
        BufferedImage original = ImageIO.read(new ByteArrayInputStream(Photos.load("astronaut-face.png")));
        BufferedImage derivative = ImageIO.read(new ByteArrayInputStream(
                ObjectStore.read(result.path("derivativeKey").asString())));
        double scale = (double) original.getWidth() / derivative.getWidth();
        double inside = 0;
        long insideCount = 0;
        double outside = 0;
        long outsideCount = 0;
        for (int y = 0; y < derivative.getHeight(); y++) {
            for (int x = 0; x < derivative.getWidth(); x++) {
                int ox = Math.min(original.getWidth() - 1, (int) (x * scale));
                int oy = Math.min(original.getHeight() - 1, (int) (y * scale));
                double difference = Math.abs(luma(original.getRGB(ox, oy)) - luma(derivative.getRGB(x, y)));
                if (within(faces, ox, oy, 0.0)) {
                    inside += difference;
                    insideCount++;
                } else if (!within(faces, ox, oy, 0.5)) {
                    outside += difference;
                    outsideCount++;
                }
            }
        }
        double insideMean = inside / insideCount;
        double outsideMean = outside / outsideCount;
        assertThat(insideMean).as("mean luma change inside the face boxes %.2f, elsewhere %.2f", insideMean, outsideMean)
                .isGreaterThan(Math.max(4.0, 2.5 * outsideMean));
    }

    /** Whether (x, y) of the original lies in a face box grown by {@code margin} of its size on each side. */
    private static boolean within(List<JsonNode> boxes, int x, int y, double margin) {
        for (JsonNode box : boxes) {
            double w = box.path("width").asInt();
            double h = box.path("height").asInt();
            double x0 = box.path("x").asInt() - margin * w;
            double y0 = box.path("y").asInt() - margin * h;
            if (x >= x0 && x < x0 + w * (1 + 2 * margin) && y >= y0 && y < y0 + h * (1 + 2 * margin)) {
                return true;
            }
        }
        return false;
    }

    private static double luma(int rgb) {
        return 0.299 * ((rgb >> 16) & 0xFF) + 0.587 * ((rgb >> 8) & 0xFF) + 0.114 * (rgb & 0xFF);
    }

    /** The analysis result once the workflow has completed (alice's view, from the orchestrator). */
    private static JsonNode awaitCompleted(String imageId) {
        URI uri = suite.get(Service.ORCHESTRATOR).baseUri().resolve("api/v1/analyses/" + imageId);
        await("analysis of " + imageId).atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
            HttpResponse<String> response = Http.get(uri, alice);
            return response.statusCode() == 200 && json.readTree(response.body()).path("status").asString().equals("COMPLETED");
        });
        return json.readTree(json.readTree(Http.get(uri, alice).body()).path("result").asString());
    }

    private static HttpResponse<String> upload(String token, byte[] bytes, String type, String name,
            Map<String, String> extraFields) {
        if (extraFields.isEmpty()) {
            return Uploads.upload(gateway, token, bytes, type, name, ASSET, null);
        }
        // Extra form fields, query parameters and headers: what a client might add to set what it should not.
        StringBuilder query = new StringBuilder("api/v1/images?assetId=" + ASSET);
        extraFields.forEach((key, value) -> query.append('&').append(key).append('=')
                .append(java.net.URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return Http.post(gateway.resolve(query.toString()), token,
                new Multipart().file(bytes, type, name).fields(extraFields),
                Map.of("X-Tenant", "globex", "X-User", "bob", "X-Forwarded-User", "bob"));
    }

    private static List<JsonNode> items(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body()).path("items").valueStream().toList();
    }

    private static String id(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return json.readTree(response.body()).path("id").asString();
    }

    static void assertNothingLeaks(String body) {
        assertThat(body).doesNotContain("acme").doesNotContain("alice").doesNotContain("Exception")
                .doesNotContain("dev.tu.").doesNotContain("SQL").doesNotContain("tu-images");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
