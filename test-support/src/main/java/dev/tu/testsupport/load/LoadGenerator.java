package dev.tu.testsupport.load;

import dev.tu.testsupport.HostileImages;
import dev.tu.testsupport.Photos;
import dev.tu.testsupport.Uploads;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Drives uploads to {@code POST /api/v1/images} at a steady rate for a while, each on a virtual thread,
 * with at most {@link Config#concurrency()} in flight (when all are busy the pace slips; it never
 * bursts to catch up). A share of them are hostile files; the rest are the real photographs of
 * {@link Photos}. What was accepted (image id and when) is what the {@link Reconciler} checks.
 */
public final class LoadGenerator {

    private static final Logger log = LoggerFactory.getLogger(LoadGenerator.class);
    private static final ObjectMapper json = new ObjectMapper();

    /** The photographs of {@code test-support/photos} used as the normal traffic. */
    static final List<String> PHOTOS = List.of("astronaut-face.png", "car-plate-gps-iphone.jpg",
            "exif-gps-nikon-d2h.jpg", "exif-gps-orientation6-iphone.jpg", "generator-sign.jpg",
            "licenseplate-motion-blur.jpg", "orientation6-waterfall.jpg", "road-sign-text.jpg", "scene-text.jpg",
            "street-leuven-exif-gps.jpg", "street-sign-car-people.jpg");

    /**
     * What to drive.
     *
     * @param baseUri      the api-gateway or the ingestion-service, e.g. {@code http://127.0.0.1:8080/}
     * @param token        a bearer token of an uploader, asked for before every upload (so it may renew)
     * @param ratePerSecond uploads started per second
     * @param concurrency  uploads in flight at most
     * @param duration     how long to keep starting uploads
     * @param hostileShare the share (0 to 1) of uploads that are hostile files
     * @param seed         the seed of the image mix, so that a run can be repeated
     */
    public record Config(URI baseUri, Supplier<String> token, double ratePerSecond, int concurrency,
            Duration duration, double hostileShare, long seed) {

        public Config {
            Objects.requireNonNull(baseUri, "baseUri");
            Objects.requireNonNull(token, "token");
            Objects.requireNonNull(duration, "duration");
            if (!(ratePerSecond > 0) || concurrency < 1 || duration.isNegative() || hostileShare < 0
                    || hostileShare > 1) {
                throw new IllegalArgumentException("Bad load: rate " + ratePerSecond + "/s, concurrency "
                        + concurrency + ", duration " + duration + ", hostile share " + hostileShare);
            }
        }
    }

    /** One file of the mix. */
    record Sample(String name, String contentType, byte[] bytes, boolean hostile) {
    }

    /** An upload the service accepted (202): the reconciler's input. */
    public record Accepted(UUID imageId, String sample, boolean hostile, Instant acceptedAt) {
    }

    private final Config config;
    private final List<Sample> photos;
    private final List<Sample> hostile;
    private volatile boolean stopped;
    private final AtomicInteger sent = new AtomicInteger();

    public LoadGenerator(Config config) {
        this.config = config;
        this.photos = PHOTOS.stream().map(name -> new Sample(name,
                name.endsWith(".png") ? "image/png" : "image/jpeg", Photos.load(name), false)).toList();
        this.hostile = hostileSamples();
    }

    /**
     * Hostile files: ones the service must refuse at the door, and ones that look fine at the door and
     * must end {@code FAILED} (with a reason) in analysis rather than hang or crash a consumer.
     */
    static List<Sample> hostileSamples() {
        byte[] photo = Photos.load("street-sign-car-people.jpg");
        return List.of(
                new Sample("script.jpg", "image/jpeg", HostileImages.script(), true),
                new Sample("truncated.jpg", "image/jpeg", HostileImages.truncated(photo, 0.4), true),
                new Sample("lookalike.jpg", "image/jpeg", HostileImages.jpegLookalike(4096), true),
                new Sample("bomb.png", "image/png", HostileImages.pngBomb(60_000, 60_000), true),
                new Sample("forged-size.jpg", "image/jpeg", HostileImages.jpegWithForgedSize(photo, 65_000, 65_000),
                        true),
                new Sample("script.svg", "image/svg+xml", HostileImages.svgWithScript(), true));
    }

    /** Runs the load for its duration (or until {@link #stop()}), waits for the uploads in flight, and reports. */
    public LoadReport run() {
        Random random = new Random(config.seed());
        Semaphore inFlight = new Semaphore(config.concurrency());
        List<Accepted> accepted = Collections.synchronizedList(new ArrayList<>());
        Map<String, AtomicInteger> rejected = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> errors = new ConcurrentHashMap<>();
        List<Duration> latencies = Collections.synchronizedList(new ArrayList<>());
        long intervalNanos = (long) (1e9 / config.ratePerSecond());
        Instant started = Instant.now();
        long start = System.nanoTime();
        long end = start + config.duration().toNanos();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (long next = start; next < end && !stopped; next += intervalNanos) {
                LockSupport.parkNanos(next - System.nanoTime());
                inFlight.acquireUninterruptibly();
                Sample sample = random.nextDouble() < config.hostileShare()
                        ? hostile.get(random.nextInt(hostile.size()))
                        : photos.get(random.nextInt(photos.size()));
                sent.incrementAndGet();
                threads.submit(() -> {
                    try {
                        upload(sample, accepted, rejected, errors, latencies);
                    } finally {
                        inFlight.release();
                    }
                });
            }
            threads.shutdown();
            if (!threads.awaitTermination(2, TimeUnit.MINUTES)) {
                log.warn("Uploads still in flight two minutes after the load ended");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while driving the load", e);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        List<Accepted> acceptedCopy;
        synchronized (accepted) {
            acceptedCopy = List.copyOf(accepted);
        }
        return new LoadReport(started, took, sent.get(), acceptedCopy, counts(rejected), counts(errors),
                Percentiles.of(snapshot(latencies)));
    }

    /** Uploads started so far (for a caller that waits for traffic to flow). */
    public int sent() {
        return sent.get();
    }

    /** Ends the load early (from another thread): no upload starts after this; those in flight finish. */
    public void stop() {
        stopped = true;
    }

    private void upload(Sample sample, List<Accepted> accepted, Map<String, AtomicInteger> rejected,
            Map<String, AtomicInteger> errors, List<Duration> latencies) {
        long begin = System.nanoTime();
        try {
            HttpResponse<String> response = Uploads.upload(config.baseUri(), config.token().get(), sample.bytes(),
                    sample.contentType(), sample.name(), null, null);
            latencies.add(Duration.ofNanos(System.nanoTime() - begin));
            if (response.statusCode() == 202) {
                UUID id = UUID.fromString(json.readTree(response.body()).path("id").asString());
                accepted.add(new Accepted(id, sample.name(), sample.hostile(), Instant.now()));
            } else {
                rejected.computeIfAbsent(response.statusCode() + " " + problemTitle(response.body()),
                        reason -> new AtomicInteger()).incrementAndGet();
            }
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            errors.computeIfAbsent(cause.getClass().getSimpleName(), name -> new AtomicInteger()).incrementAndGet();
        }
    }

    /** The {@code title} of a problem+json body, or its first 60 characters. */
    static String problemTitle(String body) {
        try {
            JsonNode problem = json.readTree(body);
            String title = problem.path("title").asString("");
            if (!title.isEmpty()) {
                return title;
            }
        } catch (RuntimeException notJson) {
            // Not a problem document: the text itself says what happened.
        }
        String text = body == null ? "" : body.strip();
        return text.length() > 60 ? text.substring(0, 60) + "…" : text;
    }

    private static Map<String, Integer> counts(Map<String, AtomicInteger> counters) {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        counters.forEach((key, value) -> counts.put(key, value.get()));
        return counts;
    }

    private static List<Duration> snapshot(List<Duration> list) {
        synchronized (list) {
            return List.copyOf(list);
        }
    }
}
