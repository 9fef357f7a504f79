package dev.tu.vision.bench;

import dev.tu.contracts.ImageAnalyzed.AnalyzerResult;
import dev.tu.contracts.Topics;
import dev.tu.testsupport.KafkaProbe;
import dev.tu.testsupport.KafkaTopics;
import dev.tu.testsupport.Photos;
import dev.tu.testsupport.Service;
import dev.tu.testsupport.ServiceProcess;
import dev.tu.testsupport.Suite;
import dev.tu.testsupport.SuiteLayout;
import dev.tu.vision.analysis.AnalysisPipeline;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Raw inference against the adapter, side by side in one run on the same photos:
 * (1) the analysis pipeline called in this JVM (decode + every analyzer), per-analyzer median and p95;
 * (2) the adapter as a process, topic to topic (S3 read, analysis, derivative, Kafka ack, commit).
 * Prints both throughputs and their ratio; the adapter's overhead is 1 - ratio.
 * Run with scripts/bench-adapter.sh; scripts/bench-pipeline.sh runs the raw side alone
 * ({@code -Dtu.bench.adapter=false}) beside the whole pipeline ({@code PipelineBenchmark}, same photos).
 */
public final class AdapterBenchmark {

    private static final List<String> PHOTOS = List.of("street-sign-car-people.jpg", "generator-sign.jpg",
            "road-sign-text.jpg", "scene-text.jpg", "licenseplate-motion-blur.jpg", "street-leuven-exif-gps.jpg");

    public static void main(String[] args) throws Exception {
        // System properties, not program arguments: exec.args would also reach the build's model step.
        int rounds = Integer.getInteger("tu.bench.rounds", 5);
        Path models = Path.of(System.getProperty("tu.models.dir", "ai-vision-adapter/target/models"));
        List<byte[]> photos = PHOTOS.stream().map(Photos::load).toList();

        // (1) raw: the pipeline alone, one thread (the adapter's default concurrency is 1)
        Map<String, List<Long>> perAnalyzer = new HashMap<>();
        List<Long> perImage = new ArrayList<>();
        double rawPerSecond;
        try (var context = new AnnotationConfigApplicationContext()) {
            context.getEnvironment().getPropertySources().addFirst(new org.springframework.core.env.MapPropertySource(
                    "bench", Map.of("tu.models.dir", models.toString())));
            context.scan("dev.tu.vision.analysis", "dev.tu.vision.models");
            context.refresh();
            AnalysisPipeline pipeline = context.getBean(AnalysisPipeline.class);
            photos.forEach(pipeline::analyze); // warm-up
            long start = System.nanoTime();
            for (int round = 0; round < rounds; round++) {
                for (byte[] photo : photos) {
                    long begin = System.nanoTime();
                    for (AnalyzerResult result : pipeline.analyze(photo).results()) {
                        perAnalyzer.computeIfAbsent(result.analyzer(), k -> new ArrayList<>()).add(result.durationMs());
                    }
                    perImage.add((System.nanoTime() - begin) / 1_000_000);
                }
            }
            rawPerSecond = rounds * photos.size() / ((System.nanoTime() - start) / 1e9);
        }
        System.out.println("analyzer   median_ms  p95_ms  samples");
        perAnalyzer.forEach((name, times) -> System.out.printf("%-9s  %9d  %6d  %7d%n", name, percentile(times, 50),
                percentile(times, 95), times.size()));
        System.out.printf("raw_images_per_s %.3f%n", rawPerSecond);
        System.out.printf("raw_image_p50_ms %d%n", percentile(perImage, 50));
        System.out.printf("raw_image_p95_ms %d%n", percentile(perImage, 95));
        if (!Boolean.parseBoolean(System.getProperty("tu.bench.adapter", "true"))) {
            System.exit(0); // the raw side only: scripts/bench-pipeline.sh sets it beside the whole pipeline
        }

        // (2) the adapter as deployed: its own process, its own consumer group, topic to topic
        Map<String, String> infra = SuiteLayout.locate().infrastructure();
        KafkaTopics.ensure(infra.get("TU_KAFKA_BOOTSTRAP"), Topics.IMAGE_UPLOADED, Topics.ANALYSIS_REQUESTED,
                Topics.IMAGE_ANALYZED);
        S3Client s3 = S3Client.builder().endpointOverride(URI.create(infra.get("TU_S3_ENDPOINT")))
                .region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(infra.get("TU_S3_ACCESS_KEY"), infra.get("TU_S3_SECRET_KEY"))))
                .httpClient(UrlConnectionHttpClient.create()).build();
        String bucket = infra.getOrDefault("TU_S3_BUCKET", "tu-images");
        Properties producerConfig = new Properties();
        producerConfig.put("bootstrap.servers", infra.get("TU_KAFKA_BOOTSTRAP"));
        double endToEndPerSecond;
        try (KafkaProbe analyzed = KafkaProbe.watch(infra.get("TU_KAFKA_BOOTSTRAP"), Topics.IMAGE_ANALYZED);
                KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig, new StringSerializer(),
                        new StringSerializer());
                ServiceProcess adapter = Suite.startOne(Service.VISION_ADAPTER, Map.of(
                        "SERVER_PORT", "18184", "MANAGEMENT_SERVER_PORT", "19184",
                        "SPRING_KAFKA_CONSUMER_GROUPID", "adapter-bench-" + UUID.randomUUID(),
                        "SPRING_KAFKA_CONSUMER_AUTOOFFSETRESET", "latest"))) {
            List<String> warmUp = send(s3, bucket, producer, photos, 1);
            awaitAll(analyzed, warmUp, Duration.ofMinutes(3)); // also proves the partitions are assigned
            long start = System.nanoTime();
            List<String> ids = send(s3, bucket, producer, photos, rounds);
            awaitAll(analyzed, ids, Duration.ofMinutes(15));
            endToEndPerSecond = ids.size() / ((System.nanoTime() - start) / 1e9);
        }

        System.out.printf("raw inference (pipeline in-process): %.3f images/s%n", rawPerSecond);
        System.out.printf("adapter topic to topic:              %.3f images/s%n", endToEndPerSecond);
        System.out.printf("ratio adapter/raw: %.3f  (overhead %.1f %%; target < 10 %%)%n",
                endToEndPerSecond / rawPerSecond, 100 * (1 - endToEndPerSecond / rawPerSecond));
        System.exit(0);
    }

    private static List<String> send(S3Client s3, String bucket, KafkaProducer<String, String> producer,
            List<byte[]> photos, int rounds) {
        List<String> ids = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            for (byte[] photo : photos) {
                String id = UUID.randomUUID().toString();
                String key = "originals/bench/" + id;
                s3.putObject(request -> request.bucket(bucket).key(key), RequestBody.fromBytes(photo));
                String event = "{\"imageId\":\"" + id + "\",\"tenant\":\"bench\",\"objectKey\":\"" + key
                        + "\",\"contentType\":\"image/jpeg\",\"sizeBytes\":" + photo.length
                        + ",\"sha256\":\"-\",\"uploadedAt\":\"2026-01-01T00:00:00Z\"}";
                producer.send(new ProducerRecord<>(Topics.IMAGE_UPLOADED, id, event));
                ids.add(id);
            }
        }
        producer.flush();
        return ids;
    }

    private static void awaitAll(KafkaProbe probe, List<String> ids, Duration atMost) {
        org.awaitility.Awaitility.await("results of " + ids.size() + " images").atMost(atMost)
                .pollInterval(Duration.ofMillis(200)).until(() -> probe.keys().containsAll(ids));
    }

    private static long percentile(List<Long> values, int percentile) {
        List<Long> sorted = values.stream().sorted().toList();
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index));
    }

}
