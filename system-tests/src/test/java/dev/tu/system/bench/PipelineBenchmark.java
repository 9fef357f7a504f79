package dev.tu.system.bench;

import dev.tu.testsupport.Keycloak;
import dev.tu.testsupport.Photos;
import dev.tu.testsupport.Service;
import dev.tu.testsupport.ServiceProcess;
import dev.tu.testsupport.Suite;
import dev.tu.testsupport.SuiteLayout;
import dev.tu.testsupport.Uploads;
import dev.tu.testsupport.load.NotificationCapture;
import dev.tu.testsupport.load.Percentiles;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import tools.jackson.databind.json.JsonMapper;

/**
 * The pipeline end to end (issue 12): the six services as processes, photos uploaded through the
 * api-gateway, the clock stopped when the orchestrator's terminal notification arrives on
 * {@code tu.notifications}. Two phases on the same photos as the adapter benchmark's raw side:
 * <ol>
 *   <li>latency: one upload at a time, upload accepted (202) → notification, p50/p95;</li>
 *   <li>throughput: four times as many uploads, a few in flight, images per second from the first upload
 *       to the last notification (the queue in Kafka keeps the adapter busy).</li>
 * </ol>
 * {@code tu.bench.adapters} (1) runs more adapter replicas in the same consumer group (docs/scaling.md).
 * Run by {@code scripts/bench-pipeline.sh}, which sets it beside raw inference. Prints {@code key value}
 * lines the script reads.
 */
public final class PipelineBenchmark {

    /** The six photos of {@code AdapterBenchmark}: the raw side analyses the same ones. */
    static final List<String> PHOTOS = List.of("street-sign-car-people.jpg", "generator-sign.jpg",
            "road-sign-text.jpg", "scene-text.jpg", "licenseplate-motion-blur.jpg", "street-leuven-exif-gps.jpg");
    private static final JsonMapper json = JsonMapper.builder().build();

    private PipelineBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.getInteger("tu.bench.rounds", 3);
        int inFlight = Integer.getInteger("tu.bench.in-flight", 4);
        int adapters = Integer.getInteger("tu.bench.adapters", 1);
        Map<String, String> infra = SuiteLayout.locate().infrastructure();
        List<byte[]> photos = PHOTOS.stream().map(Photos::load).toList();
        int exit = 1;
        long launch = System.nanoTime();
        try (Suite suite = Suite.startAll();
                NotificationCapture notifications = NotificationCapture.start(infra.get("TU_RABBITMQ_HOST"),
                        Integer.parseInt(infra.get("TU_RABBITMQ_PORT")), "tu.bench.pipeline.notifications")) {
            // The six started together, plain jars, as ./dev up starts them: issue 12's "whole suite ready".
            System.out.printf("suite_ready_s %.1f%n", (System.nanoTime() - launch) / 1e9);
            URI gateway = suite.get(Service.API_GATEWAY).baseUri();
            Keycloak keycloak = Keycloak.local();
            // More adapter replicas in the same consumer group (docs/scaling.md): the partitions are shared out.
            // Stopped when this JVM exits, whether the run succeeded or failed.
            for (int i = 1; i < adapters; i++) {
                ServiceProcess replica = Suite.startOne(Service.VISION_ADAPTER, Map.of("SERVER_PORT",
                        Integer.toString(18184 + i), "MANAGEMENT_SERVER_PORT", Integer.toString(19184 + i)));
                Runtime.getRuntime().addShutdownHook(new Thread(replica::close, "bench-adapter-replica-stop"));
            }

            oneAtATime(gateway, keycloak, photos, notifications); // warm-up
            List<Duration> latencies = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                latencies.addAll(oneAtATime(gateway, keycloak, photos, notifications));
            }
            Percentiles latency = Percentiles.of(latencies);

            Map<UUID, Instant> accepted = new ConcurrentHashMap<>();
            Semaphore slots = new Semaphore(inFlight);
            long start = System.nanoTime();
            Instant started = Instant.now();
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                // Four times the latency phase's uploads: long enough that start and end effects are small.
                for (int round = 0; round < 4 * rounds; round++) {
                    for (int i = 0; i < photos.size(); i++) {
                        byte[] photo = photos.get(i);
                        String name = PHOTOS.get(i);
                        slots.acquireUninterruptibly();
                        threads.submit(() -> {
                            try {
                                accepted.put(upload(gateway, keycloak, photo, name), Instant.now());
                            } finally {
                                slots.release();
                            }
                        });
                    }
                }
            }
            Map<UUID, NotificationCapture.Notification> done = awaitTerminal(notifications, accepted.keySet(),
                    Duration.ofMinutes(20));
            Instant last = done.values().stream().map(NotificationCapture.Notification::receivedAt)
                    .max(Instant::compareTo).orElseThrow();
            double seconds = Duration.between(started, last).toNanos() / 1e9;
            long failed = done.values().stream().filter(n -> !"COMPLETED".equals(n.status())).count();

            System.out.printf("pipeline_images %d%n", accepted.size());
            System.out.printf("pipeline_failed %d%n", failed);
            System.out.printf("pipeline_images_per_s %.3f%n", accepted.size() / seconds);
            System.out.printf("pipeline_latency_samples %d%n", latency.count());
            System.out.printf("pipeline_latency_p50_ms %d%n", latency.millis(50));
            System.out.printf("pipeline_latency_p95_ms %d%n", latency.millis(95));
            System.out.printf("pipeline_in_flight %d%n", inFlight);
            System.out.printf("pipeline_took_s %.1f%n", (System.nanoTime() - start) / 1e9);
            System.out.printf("pipeline_adapters %d%n", adapters);
            exit = 0;
        }
        System.exit(exit);
    }

    /** Uploads each photo and waits for its notification before the next: upload accepted → notified. */
    private static List<Duration> oneAtATime(URI gateway, Keycloak keycloak, List<byte[]> photos,
            NotificationCapture notifications) {
        List<Duration> latencies = new ArrayList<>();
        for (int i = 0; i < photos.size(); i++) {
            UUID image = upload(gateway, keycloak, photos.get(i), PHOTOS.get(i));
            Instant accepted = Instant.now();
            NotificationCapture.Notification terminal = awaitTerminal(notifications, List.of(image),
                    Duration.ofMinutes(3)).get(image);
            latencies.add(Duration.between(accepted, terminal.receivedAt()));
        }
        return latencies;
    }

    private static UUID upload(URI gateway, Keycloak keycloak, byte[] photo, String name) {
        HttpResponse<String> response = Uploads.upload(gateway, keycloak.accessToken("alice"), photo, "image/jpeg",
                name, "BENCH-PIPELINE", null);
        if (response.statusCode() != 202) {
            throw new IllegalStateException("Upload of " + name + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return UUID.fromString(json.readTree(response.body()).path("id").asString());
    }

    private static Map<UUID, NotificationCapture.Notification> awaitTerminal(NotificationCapture notifications,
            java.util.Collection<UUID> images, Duration atMost) {
        Map<UUID, NotificationCapture.Notification> terminal = new ConcurrentHashMap<>();
        org.awaitility.Awaitility.await("terminal notifications of " + images.size() + " images").atMost(atMost)
                .pollInterval(Duration.ofMillis(20)).until(() -> {
                    for (NotificationCapture.Notification notification : notifications.received()) {
                        if (notification.terminal() && images.contains(notification.imageId())) {
                            terminal.putIfAbsent(notification.imageId(), notification);
                        }
                    }
                    return terminal.keySet().containsAll(images);
                });
        return terminal;
    }
}
