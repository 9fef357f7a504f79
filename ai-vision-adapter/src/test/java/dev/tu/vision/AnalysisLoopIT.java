package dev.tu.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tu.contracts.Topics;
import dev.tu.testsupport.HostileImages;
import dev.tu.testsupport.KafkaProbe;
import dev.tu.testsupport.SuiteLayout;
import java.awt.image.BufferedImage;
import java.awt.image.ConvolveOp;
import java.awt.image.Kernel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The adapter's loop against the real Kafka and the real object store: an uploaded image yields a
 * result; a blurred one is flagged unusable; a corrupt file or a missing object yields a failure event
 * and a dead letter, and the partition flows on; a re-analysis command yields a result of its attempt.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "spring.kafka.consumer.auto-offset-reset=latest"})
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class AnalysisLoopIT {

    private static final Map<String, String> infra = SuiteLayout.locate().infrastructure();
    private static final String BUCKET = "tu-images-test";
    private static final JsonMapper json = JsonMapper.builder().build();
    private static final S3Client s3 = S3Client.builder()
            .endpointOverride(URI.create(infra.get("TU_S3_ENDPOINT"))).region(Region.US_EAST_1).forcePathStyle(true)
            .credentialsProvider(StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(infra.get("TU_S3_ACCESS_KEY"), infra.get("TU_S3_SECRET_KEY"))))
            .httpClient(UrlConnectionHttpClient.create()).build();

    private static KafkaProbe analyzed;
    private static KafkaProbe failed;
    private static KafkaProbe deadLetters;

    @org.junit.jupiter.api.BeforeAll
    static void topicsExist() {
        // The adapter consumes topics other services own; on a fresh broker they may not exist yet.
        dev.tu.testsupport.KafkaTopics.ensure(infra.get("TU_KAFKA_BOOTSTRAP"), Topics.IMAGE_UPLOADED,
                Topics.ANALYSIS_REQUESTED);
    }

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", () -> infra.get("TU_KAFKA_BOOTSTRAP"));
        registry.add("spring.kafka.consumer.group-id", () -> "adapter-it-" + UUID.randomUUID());
        registry.add("tu.storage.endpoint", () -> infra.get("TU_S3_ENDPOINT"));
        registry.add("tu.storage.bucket", () -> BUCKET);
    }

    @Autowired
    KafkaTemplate<String, byte[]> kafka;

    @Autowired
    KafkaListenerEndpointRegistry listeners;

    @Autowired
    dev.tu.vision.models.ModelCatalog catalog;

    @BeforeEach
    void assigned() {
        await("partitions assigned").atMost(Duration.ofSeconds(30)).until(() -> {
            var partitions = listeners.getListenerContainer("analysis").getAssignedPartitions();
            return partitions != null && !partitions.isEmpty();
        });
        // The probes need the topics, which the adapter declares at start-up.
        if (analyzed == null) {
            analyzed = KafkaProbe.watch(infra.get("TU_KAFKA_BOOTSTRAP"), Topics.IMAGE_ANALYZED);
            failed = KafkaProbe.watch(infra.get("TU_KAFKA_BOOTSTRAP"), Topics.IMAGE_ANALYSIS_FAILED);
            deadLetters = KafkaProbe.watch(infra.get("TU_KAFKA_BOOTSTRAP"), Topics.deadLetter(Topics.IMAGE_UPLOADED));
        }
    }

    @AfterAll
    static void close() {
        for (KafkaProbe probe : new KafkaProbe[] {analyzed, failed, deadLetters}) {
            if (probe != null) {
                probe.close();
            }
        }
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void everyModelTheAnalyzersUseIsLoadedBeforeTheFirstPhoto() {
        // Loaded while the context starts, so the start-up probe, not the first photo, waits for them.
        assertThat(catalog.loaded()).containsExactlyInAnyOrder("nanodet", "blazeface-back-256", "ppocr-v4-det",
                "ppocr-mobile-v2-cls", "ppocr-v4-rec");
    }

    @Test
    void anUploadedImageYieldsAResultWithEveryAnalyzer() {
        UUID image = upload(HostileImages.jpeg(800, 600));

        JsonNode result = json.readTree(analyzed.awaitKey(image.toString(), Duration.ofSeconds(60)).getFirst().value());

        assertThat(result.get("attempt").asInt()).isEqualTo(1);
        assertThat(result.get("tenant").asString()).isEqualTo("acme");
        assertThat(result.get("results").valueStream().map(r -> r.get("analyzer").asString()))
                .contains("quality", "exif");
        JsonNode quality = result.get("results").valueStream()
                .filter(r -> r.get("analyzer").asString().equals("quality")).findFirst().orElseThrow();
        assertThat(quality.get("model").asString()).isEqualTo("none");
        assertThat(quality.get("findings").get(0).get("label").asString()).isEqualTo("usable");
    }

    @Test
    void aRealPhotoOfACarYieldsTheCarAndTheSignText() {
        UUID image = upload(dev.tu.testsupport.Photos.load("street-sign-car-people.jpg"));

        JsonNode result = json.readTree(analyzed.awaitKey(image.toString(), Duration.ofSeconds(90)).getFirst().value());
        JsonNode objects = analyzer(result, "objects");
        JsonNode text = analyzer(result, "text");
        assertThat(objects.get("model").asString()).startsWith("NanoDet");
        assertThat(objects.get("modelSha256").asString()).hasSize(64);
        assertThat(objects.get("findings").valueStream().map(f -> f.get("label").asString())).contains("car");
        assertThat(text.get("findings").valueStream().map(f -> f.get("label").asString())).contains("PROHIBITED");
        assertThat(text.get("durationMs").asLong()).isPositive();
        String derivative = result.get("derivativeKey").asString();
        assertThat(derivative).isEqualTo("derivatives/acme/" + image + ".jpg");
        assertThat(s3.headObject(request -> request.bucket(BUCKET).key(derivative)).contentType()).isEqualTo("image/jpeg");
    }

    private static JsonNode analyzer(JsonNode result, String name) {
        return result.get("results").valueStream().filter(r -> r.get("analyzer").asString().equals(name))
                .findFirst().orElseThrow();
    }

    @Test
    void aBlurredPhotoIsFlaggedUnusable() throws Exception {
        UUID image = upload(blurred(HostileImages.jpeg(800, 600)));

        JsonNode result = json.readTree(analyzed.awaitKey(image.toString(), Duration.ofSeconds(60)).getFirst().value());
        JsonNode quality = result.get("results").valueStream()
                .filter(r -> r.get("analyzer").asString().equals("quality")).findFirst().orElseThrow();
        assertThat(quality.get("findings").get(0).get("label").asString()).startsWith("unusable:").contains("blurred");
    }

    @Test
    void aCorruptFileIsAFailureAndADeadLetterAndThePartitionFlowsOn() {
        UUID corrupt = upload(HostileImages.jpegLookalike(4096));
        UUID missing = uploadedEvent(UUID.randomUUID(), "originals/acme/does-not-exist");
        UUID fine = upload(HostileImages.jpeg(400, 400));

        JsonNode failure = json.readTree(failed.awaitKey(corrupt.toString(), Duration.ofSeconds(60)).getFirst().value());
        assertThat(failure.get("code").asString()).isEqualTo("UNREADABLE_IMAGE");
        JsonNode gone = json.readTree(failed.awaitKey(missing.toString(), Duration.ofSeconds(60)).getFirst().value());
        assertThat(gone.get("code").asString()).isEqualTo("OBJECT_MISSING");
        ConsumerRecord<String, String> dead = deadLetters.awaitKey(corrupt.toString(), Duration.ofSeconds(30)).getFirst();
        assertThat(KafkaProbe.headers(dead)).containsKey("kafka_dlt-exception-message");
        assertThat(KafkaProbe.headers(dead).get("kafka_dlt-exception-message")).contains("UNREADABLE_IMAGE");
        analyzed.awaitKey(fine.toString(), Duration.ofSeconds(60));
    }

    @Test
    void aReanalysisCommandYieldsAResultOfItsAttempt() {
        UUID image = UUID.randomUUID();
        String key = "originals/acme/" + image;
        s3.putObject(request -> request.bucket(BUCKET).key(key), RequestBody.fromBytes(HostileImages.jpeg(640, 480)));
        String command = "{\"imageId\":\"" + image + "\",\"tenant\":\"acme\",\"objectKey\":\"" + key
                + "\",\"attempt\":2,\"reason\":\"user\"}";
        kafka.send(new ProducerRecord<>(Topics.ANALYSIS_REQUESTED, image.toString(),
                command.getBytes(StandardCharsets.UTF_8)));

        JsonNode result = json.readTree(analyzed.awaitKey(image.toString(), Duration.ofSeconds(60)).getFirst().value());
        assertThat(result.get("attempt").asInt()).isEqualTo(2);
    }

    private UUID upload(byte[] bytes) {
        UUID image = UUID.randomUUID();
        String key = "originals/acme/" + image;
        s3.putObject(request -> request.bucket(BUCKET).key(key), RequestBody.fromBytes(bytes));
        return uploadedEvent(image, key);
    }

    private UUID uploadedEvent(UUID image, String key) {
        String event = "{\"imageId\":\"" + image + "\",\"tenant\":\"acme\",\"objectKey\":\"" + key
                + "\",\"contentType\":\"image/jpeg\",\"sizeBytes\":1,\"sha256\":\"x\",\"uploadedAt\":\"2026-01-01T00:00:00Z\"}";
        kafka.send(new ProducerRecord<>(Topics.IMAGE_UPLOADED, image.toString(), event.getBytes(StandardCharsets.UTF_8)));
        return image;
    }

    private static byte[] blurred(byte[] jpeg) throws Exception {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(jpeg));
        int size = 25;
        float[] box = new float[size * size];
        java.util.Arrays.fill(box, 1f / box.length);
        BufferedImage out = new ConvolveOp(new Kernel(size, size, box), ConvolveOp.EDGE_NO_OP, null).filter(image, null);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(out, "jpeg", bytes);
        return bytes.toByteArray();
    }
}
