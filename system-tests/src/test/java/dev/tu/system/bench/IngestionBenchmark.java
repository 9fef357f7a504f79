package dev.tu.system.bench;

import dev.tu.contracts.Topics;
import dev.tu.testsupport.KafkaTopics;
import dev.tu.testsupport.Keycloak;
import dev.tu.testsupport.Photos;
import dev.tu.testsupport.PrivateKafkaNode;
import dev.tu.testsupport.Service;
import dev.tu.testsupport.ServiceProcess;
import dev.tu.testsupport.Suite;
import dev.tu.testsupport.SuiteLayout;
import dev.tu.testsupport.Uploads;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Ingestion (issue 12): uploads per second of a 1 MB photograph into the ingestion-service (202:
 * inspected, stored in the object store, the image row and its outbox event committed) against the raw
 * rate of what it must do at the least — an object-store PUT of the same bytes plus a Kafka send with
 * acks=all — done directly from this JVM, with the same number in flight, in the same run. Target: the
 * service at least 70 % of raw. Run by {@code scripts/bench-ingestion.sh}; prints {@code key value} lines.
 */
public final class IngestionBenchmark {

    private static final int KAFKA_PORT = 19492;

    private IngestionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int uploads = Integer.getInteger("tu.bench.uploads", 200);
        int inFlight = Integer.getInteger("tu.bench.in-flight", 8);
        Map<String, String> infra = SuiteLayout.locate().infrastructure();
        byte[] photo = oneMegabytePhotograph();
        System.out.printf("photo_bytes %d%n", photo.length);
        // Its own broker, test database and test bucket: the uploads must not reach a local suite's adapter.
        try (PrivateKafkaNode broker = PrivateKafkaNode.create(
                SuiteLayout.locate().root().resolve("system-tests/target/bench-kafka-" + KAFKA_PORT), KAFKA_PORT)) {
            broker.start();
            measure(infra, broker.bootstrapServers(), photo, uploads, inFlight);
        }
        System.exit(0);
    }

    private static void measure(Map<String, String> infra, String bootstrap, byte[] photo, int uploads, int inFlight)
            throws Exception {
        KafkaTopics.ensure(bootstrap, Topics.IMAGE_UPLOADED, Topics.IMAGE_UPLOADED + ".bench");

        Properties kafkaConfig = new Properties();
        kafkaConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        kafkaConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        kafkaConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        String bucket = infra.getOrDefault("TU_S3_TEST_BUCKET", "tu-images-test");
        double raw;
        try (S3Client s3 = S3Client.builder().endpointOverride(URI.create(infra.get("TU_S3_ENDPOINT")))
                .region(Region.of(infra.getOrDefault("TU_S3_REGION", "us-east-1"))).forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(infra.get("TU_S3_ACCESS_KEY"), infra.get("TU_S3_SECRET_KEY"))))
                .httpClient(UrlConnectionHttpClient.create()).build();
                KafkaProducer<String, String> kafka = new KafkaProducer<>(kafkaConfig, new StringSerializer(),
                        new StringSerializer())) {
            Runnable put = () -> {
                String id = UUID.randomUUID().toString();
                String key = "originals/bench/" + id;
                s3.putObject(request -> request.bucket(bucket).key(key).contentType("image/jpeg")
                        .contentLength((long) photo.length), RequestBody.fromBytes(photo));
                try {
                    kafka.send(new ProducerRecord<>(Topics.IMAGE_UPLOADED + ".bench", id, "{\"imageId\":\"" + id
                            + "\",\"objectKey\":\"" + key + "\"}")).get();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            run(Math.max(10, uploads / 10), inFlight, put); // warm-up
            raw = run(uploads, inFlight, put);
        }

        double service;
        try (ServiceProcess ingestion = Suite.startOne(Service.INGESTION, Map.of("SERVER_PORT", "18183",
                "MANAGEMENT_SERVER_PORT", "19183", "SPRING_KAFKA_BOOTSTRAPSERVERS", bootstrap,
                "TU_STORAGE_BUCKET", bucket, "SPRING_DATASOURCE_URL", "jdbc:postgresql://" + infra.get("TU_POSTGRES_HOST")
                        + ":" + infra.get("TU_POSTGRES_PORT") + "/tu_ingestion_test"))) {
            Keycloak keycloak = Keycloak.local();
            AtomicInteger refused = new AtomicInteger();
            Runnable upload = () -> {
                HttpResponse<String> response = Uploads.upload(ingestion.baseUri(), keycloak.accessToken("alice"),
                        photo, "image/jpeg", "bench-1mb.jpg", "BENCH-INGESTION", null);
                if (response.statusCode() != 202) {
                    refused.incrementAndGet();
                    System.err.println("upload answered " + response.statusCode() + ": " + response.body());
                }
            };
            run(Math.max(10, uploads / 10), inFlight, upload); // warm-up
            service = run(uploads, inFlight, upload);
            System.out.printf("ingestion_refused %d%n", refused.get());
        }
        System.out.printf("ingestion_uploads %d%n", uploads);
        System.out.printf("ingestion_in_flight %d%n", inFlight);
        System.out.printf("raw_put_send_per_s %.2f%n", raw);
        System.out.printf("ingestion_uploads_per_s %.2f%n", service);
    }

    /** Runs {@code times} calls with at most {@code inFlight} at once; calls per second. */
    private static double run(int times, int inFlight, Runnable call) throws InterruptedException {
        Semaphore slots = new Semaphore(inFlight);
        long start = System.nanoTime();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < times; i++) {
                slots.acquire();
                threads.submit(() -> {
                    try {
                        call.run();
                    } finally {
                        slots.release();
                    }
                });
            }
        }
        return times / ((System.nanoTime() - start) / 1e9);
    }

    /**
     * A real photograph of about 1 MB: the Leuven street scene (1280 px wide, 325 kB) scaled up and encoded
     * at the size and JPEG quality that bring it closest to 1,000,000 bytes (printed as photo_bytes).
     */
    static byte[] oneMegabytePhotograph() throws IOException {
        BufferedImage original = ImageIO.read(new ByteArrayInputStream(Photos.load("street-leuven-exif-gps.jpg")));
        byte[] best = null;
        for (int scale = 2; scale <= 3; scale++) {
            BufferedImage scaled = new BufferedImage(original.getWidth() * scale, original.getHeight() * scale,
                    BufferedImage.TYPE_INT_RGB);
            Graphics2D graphics = scaled.createGraphics();
            graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            graphics.drawImage(original, 0, 0, scaled.getWidth(), scaled.getHeight(), null);
            graphics.dispose();
            for (float quality = 0.80f; quality <= 0.99f; quality += 0.01f) {
                byte[] encoded = jpeg(scaled, quality);
                if (best == null || Math.abs(encoded.length - 1_000_000) < Math.abs(best.length - 1_000_000)) {
                    best = encoded;
                }
            }
        }
        return best;
    }

    private static byte[] jpeg(BufferedImage image, float quality) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
