package dev.tu.ingestion.images;

import static dev.tu.ingestion.images.IngestionTestSupport.client;
import static dev.tu.ingestion.images.IngestionTestSupport.get;
import static dev.tu.ingestion.images.IngestionTestSupport.infra;
import static dev.tu.ingestion.images.IngestionTestSupport.upload;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tu.contracts.Topics;
import dev.tu.testsupport.HostileImages;
import dev.tu.testsupport.KafkaProbe;
import dev.tu.testsupport.Photos;
import java.time.Duration;
import java.util.Map;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The upload flow against the real servers: PostgreSQL, s3proxy, Kafka and Keycloak tokens. Every
 * refused upload leaves no row, no object and no event.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.server.port=0",
        "tu.upload.max-file-size=2MB",
        "spring.servlet.multipart.max-file-size=3MB",
        "spring.servlet.multipart.max-request-size=3MB"})
class UploadFlowIT {

    static final String PHOTO = "street-leuven-exif-gps.jpg";
    static final String GPS_PHOTO = "street-leuven-exif-gps.jpg";

    private static final JsonMapper json = JsonMapper.builder().build();
    private static KafkaProbe uploaded;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        IngestionTestSupport.realInfrastructure(registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    dev.tu.ingestion.storage.ObjectStore store;

    RestClient client;

    @BeforeAll
    static void watchKafka() {
        // On a fresh broker the service would declare the topic only once its context starts.
        dev.tu.testsupport.KafkaTopics.ensure(infra.get("TU_KAFKA_BOOTSTRAP"), Topics.IMAGE_UPLOADED);
        uploaded = KafkaProbe.watch(infra.get("TU_KAFKA_BOOTSTRAP"), Topics.IMAGE_UPLOADED);
    }

    @AfterAll
    static void stopWatching() {
        uploaded.close();
    }

    @BeforeEach
    void setUp() {
        client = client(port);
    }

    @Test
    void aRealPhotoLandsInTheStoreTheDatabaseAndKafka() {
        byte[] photo = Photos.load(PHOTO);
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

        ResponseEntity<String> response = client.post().uri("/api/v1/images")
                .headers(headers -> {
                    headers.setBearerAuth(IngestionTestSupport.keycloak.accessToken("alice"));
                    headers.set("traceparent", traceparent);
                })
                .contentType(org.springframework.http.MediaType.MULTIPART_FORM_DATA)
                .body(IngestionTestSupport.multipart(photo, "image/jpeg", PHOTO, "EXC-042"))
                .retrieve().toEntity(String.class);

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
        JsonNode body = json.readTree(response.getBody());
        UUID id = UUID.fromString(body.get("id").asString());
        assertThat(response.getHeaders().getLocation()).hasToString("/api/v1/images/" + id);
        assertThat(body.get("status").asString()).isEqualTo("UPLOADED");

        Map<String, Object> row = jdbc.sql("select * from image where id = :id").param("id", id).query().singleRow();
        assertThat(row).containsEntry("tenant", "acme").containsEntry("uploader", "alice")
                .containsEntry("asset_id", "EXC-042").containsEntry("content_type", "image/jpeg")
                .containsEntry("size_bytes", (long) photo.length);
        assertThat(row.get("sha256")).isEqualTo(sha256(photo));
        assertThat((Integer) row.get("width")).isPositive();
        assertThat(row.get("captured_at")).as("EXIF DateTimeOriginal").isNotNull();
        assertThat(store.exists("originals/acme/" + id)).isTrue();

        ConsumerRecord<String, String> event = uploaded.awaitKey(id.toString(), Duration.ofSeconds(30)).getFirst();
        Map<String, String> headers = KafkaProbe.headers(event);
        assertThat(headers).containsEntry("ce_specversion", "1.0").containsEntry("ce_type", "tu.image.uploaded")
                .containsEntry("ce_source", "/tu/ingestion-service").containsEntry("ce_subject", id.toString())
                .containsEntry("ce_tenant", "acme").containsEntry("ce_datacontenttype", "application/json")
                .containsKeys("ce_id", "ce_time");
        assertThat(headers.get("traceparent")).startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-");
        JsonNode payload = json.readTree(event.value());
        assertThat(payload.get("imageId").asString()).isEqualTo(id.toString());
        assertThat(payload.get("objectKey").asString()).isEqualTo("originals/acme/" + id);
        assertThat(payload.get("sha256").asString()).isEqualTo(sha256(photo));
    }

    @Test
    void gpsAndCaptureTimeComeFromExif() {
        ResponseEntity<String> response = upload(client, "alice", Photos.load(GPS_PHOTO), "image/jpeg", GPS_PHOTO,
                null, null);

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
        JsonNode image = json.readTree(response.getBody()).get("image");
        assertThat(image.get("location").get("latitude").asDouble()).isBetween(-90.0, 90.0).isNotZero();
        assertThat(image.get("location").get("longitude").asDouble()).isBetween(-180.0, 180.0).isNotZero();
    }

    @Test
    void theExifOrientationIsKept() {
        ResponseEntity<String> response = upload(client, "alice", Photos.load("exif-gps-orientation6-iphone.jpg"),
                "image/jpeg", "garden.jpg", null, null);

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
        assertThat(json.readTree(response.getBody()).get("image").get("orientation").asInt()).isEqualTo(6);
    }

    static Stream<Arguments> badInputs() {
        byte[] photo = Photos.load(PHOTO);
        return Stream.of(
                Arguments.of("empty file", new byte[0], "image/jpeg", "a.jpg", 400, "EMPTY_FILE"),
                Arguments.of("script called a JPEG", HostileImages.script(), "image/jpeg", "cat.jpg", 415, "NOT_AN_IMAGE"),
                Arguments.of("SVG with script", HostileImages.svgWithScript(), "image/svg+xml", "a.svg", 415,
                        "NOT_AN_IMAGE"),
                Arguments.of("PNG declared as JPEG", HostileImages.png(32, 32), "image/jpeg", "a.jpg", 415,
                        "CONTENT_TYPE_MISMATCH"),
                Arguments.of("real JPEG declared as PNG", photo, "image/png", "a.png", 415, "CONTENT_TYPE_MISMATCH"),
                Arguments.of("truncated real photo", HostileImages.truncated(photo, 0.5), "image/jpeg", "cut.jpg", 422,
                        "TRUNCATED_IMAGE"),
                Arguments.of("PNG decompression bomb", HostileImages.pngBomb(60_000, 60_000), "image/png", "b.png", 422,
                        "DIMENSIONS_TOO_LARGE"),
                Arguments.of("real photo with forged size", HostileImages.jpegWithForgedSize(photo, 65_000, 65_000),
                        "image/jpeg", "b.jpg", 422, "DIMENSIONS_TOO_LARGE"),
                Arguments.of("noise that starts like a JPEG", HostileImages.jpegLookalike(8192), "image/jpeg", "n.jpg",
                        422, "CORRUPT_IMAGE"),
                Arguments.of("over the size limit", HostileImages.jpegLookalike(2 * 1024 * 1024 + 10), "image/jpeg",
                        "big.jpg", 413, "FILE_TOO_LARGE"),
                Arguments.of("over the multipart limit", HostileImages.jpegLookalike(4 * 1024 * 1024), "image/jpeg",
                        "huge.jpg", 413, "FILE_TOO_LARGE"),
                Arguments.of("path traversal name", photo, "image/jpeg", "../../etc/passwd.jpg", 400, "UNSAFE_FILE_NAME"),
                Arguments.of("markup name", photo, "image/jpeg", "<img src=x onerror=alert(1)>.jpg", 400,
                        "UNSAFE_FILE_NAME"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputIsRefusedWithProblemJsonAndLeavesNoTrace(String what, byte[] bytes, String type, String name,
            int status, String code) {
        Traces before = traces();

        ResponseEntity<String> response = upload(client, "alice", bytes, type, name, null, null);

        assertThat(response.getStatusCode().value()).as("%s: %s", what, response.getBody()).isEqualTo(status);
        assertThat(response.getHeaders().getContentType()).as("%s: %s", what, response.getBody())
                .hasToString("application/problem+json");
        assertThat(json.readTree(response.getBody()).get("code").asString()).isEqualTo(code);
        assertThat(traces()).as("rows, outbox records and objects after: %s", what).isEqualTo(before);
    }

    @Test
    void theSameIdempotencyKeyTwiceIsOneImageAndOneEvent() {
        byte[] photo = Photos.load(PHOTO);
        String key = "retry-" + UUID.randomUUID();

        ResponseEntity<String> first = upload(client, "alice", photo, "image/jpeg", PHOTO, null, key);
        Traces afterFirst = traces();
        ResponseEntity<String> second = upload(client, "alice", photo, "image/jpeg", PHOTO, null, key);

        assertThat(first.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
        assertThat(second.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
        String id = json.readTree(first.getBody()).get("id").asString();
        assertThat(json.readTree(second.getBody()).get("id").asString()).isEqualTo(id);
        assertThat(json.readTree(second.getBody()).get("duplicate").asBoolean()).isTrue();
        assertThat(traces()).isEqualTo(afterFirst);
        uploaded.awaitKey(id, Duration.ofSeconds(30));
        org.awaitility.Awaitility.await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> uploaded.withKey(id).size() == 1);
    }

    @Test
    void anIdempotencyKeyReusedForOtherBytesIsAConflict() {
        String key = "reuse-" + UUID.randomUUID();
        upload(client, "alice", HostileImages.png(40, 40), "image/png", "a.png", null, key);

        ResponseEntity<String> other = upload(client, "alice", HostileImages.png(41, 40), "image/png", "b.png", null, key);

        assertThat(other.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(json.readTree(other.getBody()).get("code").asString()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
    }

    @Test
    void anotherTenantsImageIsNotFound() {
        String id = json.readTree(upload(client, "alice", Photos.load(PHOTO), "image/jpeg", PHOTO, null, null)
                .getBody()).get("id").asString();

        assertThat(get(client, "bob", "/api/v1/images/" + id).getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(get(client, "bob", "/api/v1/images/" + id + "/content").getStatusCode())
                .isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(get(client, "bob", "/api/v1/images?ids=" + id).getBody()).doesNotContain(id);
        assertThat(get(client, "alice", "/api/v1/images/" + id).getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(get(client, "carol", "/api/v1/images/" + id).getStatusCode())
                .as("same tenant, reader role").isEqualTo(HttpStatus.OK);
    }

    @Test
    void aReaderCannotUpload() {
        Traces before = traces();
        assertThat(upload(client, "carol", Photos.load(PHOTO), "image/jpeg", PHOTO, null, null).getStatusCode())
                .isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(traces()).isEqualTo(before);
    }

    @Test
    void theOriginalIsServedAsAnAttachmentWithItsOwnBytes() {
        byte[] photo = Photos.load(PHOTO);
        String id = json.readTree(upload(client, "alice", photo, "image/jpeg", PHOTO, null, null).getBody())
                .get("id").asString();

        ResponseEntity<byte[]> content = client.get().uri("/api/v1/images/" + id + "/content")
                .headers(headers -> headers.setBearerAuth(IngestionTestSupport.keycloak.accessToken("alice")))
                .retrieve().toEntity(byte[].class);

        assertThat(content.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(content.getBody()).isEqualTo(photo);
        assertThat(content.getHeaders().getFirst("Content-Disposition")).startsWith("attachment;");
        assertThat(content.getHeaders().getFirst("X-Content-Type-Options")).isEqualTo("nosniff");
    }

    @Test
    void pagesByCursorNewestFirstAndLooksUpABatch() {
        String asset = "PAGE-" + UUID.randomUUID().toString().substring(0, 8);
        String[] ids = new String[3];
        for (int i = 0; i < 3; i++) {
            ids[i] = json.readTree(upload(client, "alice", HostileImages.png(20 + i, 20), "image/png", "p" + i + ".png",
                    asset, null).getBody()).get("id").asString();
        }

        JsonNode first = json.readTree(get(client, "alice", "/api/v1/images?limit=2&assetId=" + asset).getBody());
        JsonNode second = json.readTree(get(client, "alice", "/api/v1/images?limit=2&assetId=" + asset + "&cursor="
                + first.get("nextCursor").asString()).getBody());
        JsonNode batch = json.readTree(get(client, "alice", "/api/v1/images?ids=" + ids[0] + "," + ids[2]).getBody());

        assertThat(first.get("items").valueStream().map(item -> item.get("id").asString()))
                .containsExactly(ids[2], ids[1]);
        assertThat(second.get("items").valueStream().map(item -> item.get("id").asString())).containsExactly(ids[0]);
        assertThat(second.get("nextCursor").isNull()).isTrue();
        assertThat(batch.get("items").valueStream().map(item -> item.get("id").asString()))
                .containsExactlyInAnyOrder(ids[0], ids[2]);
        assertThat(get(client, "alice", "/api/v1/images?cursor=not-a-cursor").getStatusCode())
                .isEqualTo(HttpStatus.BAD_REQUEST);
        for (String outOfRange : List.of("limit=0", "limit=1000", "assetId=" + "A".repeat(129))) {
            ResponseEntity<String> refused = get(client, "alice", "/api/v1/images?" + outOfRange);
            assertThat(refused.getStatusCode()).as(outOfRange + ": " + refused.getBody()).isEqualTo(HttpStatus.BAD_REQUEST);
            assertThat(refused.getHeaders().getContentType()).as(outOfRange)
                    .hasToString("application/problem+json");
        }
    }

    @Test
    void withoutATokenNothingIsAccepted() {
        ResponseEntity<String> response = client.post().uri("/api/v1/images")
                .contentType(org.springframework.http.MediaType.MULTIPART_FORM_DATA)
                .body(IngestionTestSupport.multipart(Photos.load(PHOTO), "image/jpeg", PHOTO, null))
                .retrieve().toEntity(String.class);
        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
    }

    /** What an upload leaves behind for tenant acme: rows, outbox records, stored originals. */
    record Traces(long rows, long publications, long objects) {
    }

    private Traces traces() {
        return new Traces(
                jdbc.sql("select count(*) from image where tenant = 'acme'").query(Long.class).single(),
                jdbc.sql("select count(*) from event_publication").query(Long.class).single(),
                IngestionTestSupport.objectCount("originals/acme/"));
    }

    private static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
