package dev.tu.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tu.cli.Tu;
import dev.tu.contracts.Topics;
import dev.tu.testsupport.Photos;
import dev.tu.testsupport.Service;
import dev.tu.testsupport.Suite;
import dev.tu.testsupport.SuiteLayout;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real {@code tu} commands (in-process, picocli) against the running suite: a device-grant login
 * approved on Keycloak's pages, then upload → watch until analysed → show → images → reanalyze → query,
 * with their output and exit codes; the refresh token renews an expired access token; client
 * credentials work without a login; an administrator lists, shows and replays a dead letter, others may not.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliIT {

    private static final JsonMapper json = JsonMapper.builder().build();
    private static final Pattern VERIFICATION = Pattern.compile("(http\\S+/device\\?user_code=\\S+)");
    private static final String ASSET = "CLI-" + UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    static Path home;

    private static URI gateway;
    private static String issuer;
    private static String imageId;

    private record Run(int exit, String out, String err) {
    }

    @BeforeAll
    static void suite() {
        gateway = Suite.shared().get(Service.API_GATEWAY).baseUri();
        issuer = SuiteLayout.locate().infrastructure().get("TU_ISSUER_URI");
    }

    private static Run tu(Map<String, String> extraEnv, StringWriter out, String... args) {
        Map<String, String> env = new HashMap<>(Map.of("TU_CONFIG_DIR", home.resolve("config").toString(),
                "TU_GATEWAY", gateway.toString(), "TU_ISSUER", issuer));
        env.putAll(extraEnv);
        StringWriter err = new StringWriter();
        CommandLine commandLine = Tu.commandLine(env, Clock.systemUTC());
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exit = commandLine.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** {@code tu login} with the device grant, approved as {@code user} on Keycloak's pages. */
    private static Run deviceLogin(Map<String, String> env, String user) throws Exception {
        StringWriter out = new StringWriter();
        CompletableFuture<Run> login = CompletableFuture.supplyAsync(() -> tu(env, out, "login"));
        await("the CLI shows where to approve").atMost(Duration.ofSeconds(20))
                .until(() -> VERIFICATION.matcher(out.toString()).find() || login.isDone());
        Matcher address = VERIFICATION.matcher(out.toString());
        assertThat(address.find()).as(() -> login.isDone() ? login.join().toString() : out.toString()).isTrue();
        assertThat(new KeycloakPages().approveDevice(URI.create(address.group(1)), user))
                .contains("Device Login Successful");
        return login.get(60, java.util.concurrent.TimeUnit.SECONDS);
    }

    private static Run tu(String... args) {
        return tu(Map.of(), new StringWriter(), args);
    }

    @Test
    @Order(1)
    void loginWithTheDeviceGrantApprovedInKeycloaksPages() throws Exception {
        Run done = deviceLogin(Map.of(), "alice");
        assertThat(done.exit()).as(done.err()).isZero();
        assertThat(done.out()).contains("Logged in as alice");
        Path cache = home.resolve("config/tokens-local.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache))).isEqualTo("rw-------");
        assertThat(json.readTree(cache.toFile()).path("refreshToken").asString()).isNotBlank();

        Run whoami = tu("whoami");
        assertThat(whoami.exit()).as(whoami.err()).isZero();
        assertThat(whoami.out()).contains("alice (tenant acme)").contains("tu-uploader");
    }

    @Test
    @Order(2)
    void uploadShowsASummaryAndWatchFollowsTheAnalysisLive() throws Exception {
        Path photos = Files.createDirectories(home.resolve("photos"));
        Files.write(photos.resolve("generator-sign.jpg"), Photos.load("generator-sign.jpg"));
        Files.writeString(photos.resolve("notes.jpg"), "not a photo at all");

        // The watch starts before the upload: whatever it prints came over the subscription (for --asset
        // there is no initial query), so the statuses prove the live stream.
        StringWriter streamed = new StringWriter();
        CompletableFuture<Run> watching = CompletableFuture.supplyAsync(() -> tu(Map.of(), streamed,
                "watch", "--asset", ASSET, "--until-done", "--timeout", "150"));
        await("the watch is subscribed").atMost(Duration.ofSeconds(20))
                .until(() -> streamed.toString().contains("STATUS") || watching.isDone());
        assertThat(streamed.toString()).as(() -> watching.isDone() ? watching.join().toString() : "")
                .contains("Watching asset " + ASSET);
        assertThat(streamed.toString()).as("nothing before the upload").doesNotContainPattern("[0-9a-f-]{36}");

        Run upload = tu("upload", photos.toString(), "--asset", ASSET);
        assertThat(upload.exit()).as("one of two refused: " + upload.out() + upload.err()).isEqualTo(1);
        assertThat(upload.out()).contains("FILE", "RESULT", "IMAGE ID", "generator-sign.jpg", "uploaded",
                "notes.jpg", "refused (HTTP 4", "1 of 2 uploaded.");
        Matcher id = Pattern.compile("generator-sign\\.jpg\\s+uploaded\\s+([0-9a-f-]{36})").matcher(upload.out());
        assertThat(id.find()).as(upload.out()).isTrue();
        imageId = id.group(1);

        Run watched = watching.get(170, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(watched.exit()).as("--until-done met: " + watched.out() + watched.err()).isZero();
        java.util.List<String> statuses = watched.out().lines().filter(line -> line.contains(imageId))
                .map(line -> line.split("\\s+")[2]).toList();
        assertThat(statuses).as(watched.out()).contains("ANALYZING").endsWith("COMPLETED");
        assertThat(statuses.indexOf("ANALYZING")).as("a status before the end, then the end")
                .isLessThan(statuses.indexOf("COMPLETED"));

        // A watch of named images starts from what they are now (here: already done).
        Run watch = tu("watch", "--image", imageId, "--until-done", "--timeout", "150");
        assertThat(watch.exit()).as(watch.out() + watch.err()).isZero();
        assertThat(watch.out()).contains(imageId).contains("COMPLETED");
    }

    @Test
    @Order(3)
    void uploadAndShowSpeakJsonToPrograms() throws Exception {
        Path photos = Files.createDirectories(home.resolve("json-photos"));
        Path photo = Files.write(photos.resolve("car-plate-gps-iphone.jpg"), Photos.load("car-plate-gps-iphone.jpg"));
        Path notes = Files.writeString(photos.resolve("notes.png"), "not a photo at all");

        Run upload = tu("upload", photo.toString(), notes.toString(), "-o", "json");
        assertThat(upload.exit()).as(upload.err()).isEqualTo(1);
        JsonNode outcomes = json.readTree(upload.out());
        assertThat(outcomes.size()).isEqualTo(2);
        JsonNode uploaded = outcomes.get(0);
        assertThat(uploaded.path("file").asString()).isEqualTo(photo.toString());
        assertThat(uploaded.path("ok").asBoolean()).isTrue();
        assertThat(uploaded.path("result").asString()).isEqualTo("uploaded");
        assertThat(UUID.fromString(uploaded.path("imageId").asString())).isNotNull();
        JsonNode refused = outcomes.get(1);
        assertThat(refused.path("ok").asBoolean()).isFalse();
        assertThat(refused.path("result").asString()).isEqualTo("refused (HTTP 415)");
        assertThat(refused.path("imageId").isNull()).isTrue();
        assertThat(refused.path("detail").asString()).contains("[NOT_AN_IMAGE]");

        Run show = tu("show", imageId, "-o", "json");
        assertThat(show.exit()).as(show.err()).isZero();
        JsonNode image = json.readTree(show.out());
        assertThat(image.path("id").asString()).isEqualTo(imageId);
        assertThat(image.path("originalName").asString()).isEqualTo("generator-sign.jpg");
        assertThat(image.path("assetId").asString()).isEqualTo(ASSET);
        assertThat(image.path("width").asInt()).isEqualTo(1280);
        JsonNode analysis = image.path("analysis");
        assertThat(analysis.path("status").asString()).isEqualTo("COMPLETED");
        JsonNode plate = analysis.path("result").path("text").valueStream()
                .filter(finding -> "GM125".equals(finding.path("label").asString())).findFirst().orElseThrow();
        assertThat(plate.path("confidence").asDouble()).isGreaterThan(0.9);
        assertThat(plate.path("box").path("x").asInt()).isBetween(380, 460);
        assertThat(analysis.path("result").path("exif").valueStream().map(f -> f.path("label").asString()))
                .contains("camera:SONY DSC-T10");
    }

    @Test
    @Order(4)
    void showPrintsTheAnalysisAsATableAndImagesListsIt() throws Exception {
        Run show = tu("show", imageId);
        assertThat(show.exit()).as(show.err()).isZero();
        assertThat(show.out()).contains("Status    COMPLETED", "Quality   ", "KIND", "CONFIDENCE", "text", "GM125",
                "ANALYZER", "MODEL");
        assertThat(show.out()).containsPattern("text\\s+GM125\\s+\\d\\.\\d\\d\\s+\\d+,\\d+ \\d+x\\d+");

        Run where = tu("where", imageId);
        assertThat(where.exit()).as(where.err()).isZero();
        assertThat(where.out()).contains("Step      COMPLETED since", "Analysed.").doesNotContain("STUCK");

        Run images = tu("images", "--asset", ASSET, "--output", "json");
        assertThat(images.exit()).as(images.err()).isZero();
        JsonNode edges = json.readTree(images.out()).path("edges");
        assertThat(edges.size()).isEqualTo(1);
        assertThat(edges.get(0).path("node").path("id").asString()).isEqualTo(imageId);

        Run table = tu("images", "--asset", ASSET);
        assertThat(table.out()).contains("IMAGE ID", imageId, "COMPLETED", "GM125");

        Run missing = tu("show", UUID.randomUUID().toString());
        assertThat(missing.exit()).isEqualTo(4);
        assertThat(missing.err()).contains("No image");
    }

    @Test
    @Order(5)
    void reanalyzeAndRawQueries() throws Exception {
        Run reanalyze = tu("reanalyze", imageId);
        assertThat(reanalyze.exit()).as(reanalyze.err()).isZero();
        assertThat(reanalyze.out()).contains("Re-analysis requested for " + imageId).containsPattern("attempt [2-9]");

        Run query = tu("query", "query($id: ID!) { analysis(imageId: $id) { attempts } me { tenant } }",
                "--variables", "{\"id\":\"" + imageId + "\"}");
        assertThat(query.exit()).as(query.err()).isZero();
        JsonNode answer = json.readTree(query.out());
        assertThat(answer.path("data").path("me").path("tenant").asString()).isEqualTo("acme");
        assertThat(answer.path("data").path("analysis").path("attempts").asInt()).isGreaterThanOrEqualTo(2);

        Run broken = tu("query", "{ nope }");
        assertThat(broken.exit()).isEqualTo(1);
        assertThat(json.readTree(broken.out()).path("errors").size()).isPositive();
    }

    @Test
    @Order(6)
    void anExpiredAccessTokenIsRenewedWithTheRefreshToken() throws Exception {
        Path cache = home.resolve("config/tokens-local.json");
        var tokens = (tools.jackson.databind.node.ObjectNode) json.readTree(cache.toFile());
        String before = tokens.path("accessToken").asString();
        tokens.put("accessExpiresAt", "2020-01-01T00:00:00Z");
        Files.write(cache, json.writeValueAsBytes(tokens));

        Run whoami = tu("whoami", "-o", "json");
        assertThat(whoami.exit()).as(whoami.err()).isZero();
        assertThat(json.readTree(whoami.out()).path("username").asString()).isEqualTo("alice");
        JsonNode renewed = json.readTree(cache.toFile());
        assertThat(renewed.path("accessToken").asString()).isNotEqualTo(before);
        assertThat(renewed.path("accessExpiresAt").asString()).isGreaterThan("2021");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache))).isEqualTo("rw-------");
    }

    @Test
    @Order(7)
    void automationUsesClientCredentialsAndLogoutForgetsTheTokens() throws Exception {
        // tu login --client-credentials: the secret from the environment, the tokens cached like a person's.
        Map<String, String> service = Map.of("TU_CONFIG_DIR", home.resolve("service-config").toString(),
                "TU_CLIENT_SECRET", "dev-only-tu-system-secret");
        Run login = tu(service, new StringWriter(), "login", "--client-credentials", "--client-id", "tu-system");
        assertThat(login.exit()).as(login.err()).isZero();
        assertThat(login.out()).contains("Logged in as", "profile local");
        Path serviceCache = home.resolve("service-config/tokens-local.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(serviceCache))).isEqualTo("rw-------");
        assertThat(Files.readString(serviceCache)).doesNotContain("dev-only-tu-system-secret");
        Run cached = tu(Map.of("TU_CONFIG_DIR", home.resolve("service-config").toString()), new StringWriter(),
                "whoami", "-o", "json");
        assertThat(cached.exit()).as("the cached token, no secret in the environment: " + cached.err()).isZero();
        assertThat(json.readTree(cached.out()).path("tenant").asString()).isEqualTo("acme");
        Run noSecret = tu(Map.of("TU_CONFIG_DIR", home.resolve("service-config").toString()), new StringWriter(),
                "login", "--client-credentials");
        assertThat(noSecret.exit()).isEqualTo(2);
        assertThat(noSecret.err()).contains("TU_CLIENT_SECRET");

        Map<String, String> system = Map.of("TU_CLIENT_ID", "tu-system", "TU_CLIENT_SECRET", "dev-only-tu-system-secret");
        Run whoami = tu(system, new StringWriter(), "whoami", "--output", "json");
        assertThat(whoami.exit()).as(whoami.err()).isZero();
        assertThat(whoami.out()).contains("\"tenant\" : \"acme\"");

        Run wrong = tu(Map.of("TU_CLIENT_ID", "tu-system", "TU_CLIENT_SECRET", "wrong"), new StringWriter(), "images");
        assertThat(wrong.exit()).isEqualTo(3);

        assertThat(tu("logout").out()).contains("Logged out");
        Run after = tu("images");
        assertThat(after.exit()).isEqualTo(3);
        assertThat(after.err()).contains("tu login");
    }

    @Test
    @Order(8)
    void administratorsListShowAndReplayDeadLettersOthersMayNot() throws Exception {
        String image = UUID.randomUUID().toString();
        String eventId = "cli-poison-" + image;
        Map<String, String> infra = SuiteLayout.locate().infrastructure();
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", infra.get("TU_KAFKA_BOOTSTRAP")),
                new StringSerializer(), new ByteArraySerializer())) {
            ProducerRecord<String, byte[]> poison = new ProducerRecord<>(Topics.IMAGE_UPLOADED, image,
                    "{not json".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            Map.of("ce_id", eventId, "ce_type", "tu.image.uploaded", "ce_source", "/tu/system-tests/cli",
                            "ce_specversion", "1.0", "ce_tenant", "acme")
                    .forEach((name, value) -> poison.headers().add(name, value.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            producer.send(poison).get();
        }

        String adminApi = Suite.shared().get(Service.ORCHESTRATOR).baseUri().toString();
        Map<String, String> admin = Map.of("TU_CONFIG_DIR", home.resolve("admin-config").toString(), "TU_ADMIN_API", adminApi);
        assertThat(deviceLogin(admin, "admin").exit()).isZero();

        // The adapter dead-letters the unreadable record; the orchestrator captures it from the topic.
        JsonNode letter = await("the poison listed by tu dead-letters").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(2))
                .until(() -> json.readTree(tu(admin, new StringWriter(), "dead-letters", "--pending", "-o", "json").out())
                        .valueStream().filter(node -> eventId.equals(node.path("eventId").asString())).findFirst(),
                        java.util.Optional::isPresent).orElseThrow();
        String id = letter.path("id").asString();
        assertThat(tu(admin, new StringWriter(), "dead-letters").out()).contains("SOURCE", "CAUSE", id, "kafka:tu.image.uploaded.dlt");

        Run show = tu(admin, new StringWriter(), "dead-letters", "show", id);
        assertThat(show.exit()).as(show.err()).isZero();
        assertThat(show.out()).contains("Replays to   kafka:tu.image.uploaded", "Cause        ", eventId)
                .doesNotContain("Cause        -");

        Run replay = tu(admin, new StringWriter(), "dead-letters", "replay", id);
        assertThat(replay.exit()).as(replay.err()).isZero();
        assertThat(replay.out()).contains("Replayed to kafka:tu.image.uploaded (replay 1)");
        Run again = tu(admin, new StringWriter(), "dead-letters", "replay", id);
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("409", "--again");
        assertThat(tu(admin, new StringWriter(), "dead-letters", "replay", "not-an-id").exit()).isEqualTo(2);
        assertThat(tu(admin, new StringWriter(), "dead-letters", "show", UUID.randomUUID().toString()).exit()).isEqualTo(4);

        Map<String, String> analyst = Map.of("TU_CONFIG_DIR", home.resolve("bob-config").toString(), "TU_ADMIN_API", adminApi);
        assertThat(deviceLogin(analyst, "bob").exit()).isZero();
        Run refused = tu(analyst, new StringWriter(), "dead-letters");
        assertThat(refused.exit()).as("an account without tu-admin").isEqualTo(3);
        assertThat(refused.err()).contains("403");
    }
}
