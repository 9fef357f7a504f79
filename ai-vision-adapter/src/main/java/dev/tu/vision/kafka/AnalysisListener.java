package dev.tu.vision.kafka;

import dev.tu.contracts.CloudEventHeaders;
import dev.tu.contracts.ImageAnalysisFailed;
import dev.tu.contracts.ImageAnalyzed;
import dev.tu.contracts.Topics;
import dev.tu.vision.analysis.AnalysisPipeline;
import dev.tu.vision.analysis.Derivatives;
import dev.tu.vision.analysis.UnreadableImageException;
import dev.tu.vision.store.ObjectMissingException;
import dev.tu.vision.store.Originals;
import dev.tu.service.logging.LogContext;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

@Component
class AnalysisListener {

    private static final Logger log = LoggerFactory.getLogger(AnalysisListener.class);

    private final Originals originals;
    private final AnalysisPipeline pipeline;
    private final ResultPublisher results;
    private final Clock clock;
    private final Derivatives derivatives;
    private final Executor derivativeWriter = Executors.newVirtualThreadPerTaskExecutor();

    private final MeterRegistry meters;

    AnalysisListener(Originals originals, AnalysisPipeline pipeline, ResultPublisher results, Clock clock,
            Derivatives derivatives, MeterRegistry meters) {
        this.meters = meters;
        this.derivatives = derivatives;
        this.originals = originals;
        this.pipeline = pipeline;
        this.results = results;
        this.clock = clock;
    }

    /** Returns only once the result is acknowledged; the container commits the offset after that. */
    @KafkaListener(id = "analysis", idIsGroup = false, topics = {Topics.IMAGE_UPLOADED, Topics.ANALYSIS_REQUESTED},
            concurrency = "${tu.adapter.concurrency:1}")
    void onRecord(ConsumerRecord<String, byte[]> record) {
        Job job = Job.from(record);
        try (var logContext = LogContext.with(job.tenant(), job.imageId(), eventId(record))) {
            byte[] original = originals.read(job.objectKey());
            String derivativeKey = "derivatives/" + job.tenant() + "/" + job.imageId() + ".jpg";
            // The derivative is rendered and stored while objects and text are still being found.
            var derivative = new AtomicReference<CompletableFuture<Void>>();
            var outcome = pipeline.analyze(original, (image, faces) -> derivative.set(CompletableFuture.runAsync(
                    () -> originals.writeDerivative(derivativeKey, derivatives.render(image, faces), "image/jpeg"),
                    derivativeWriter)));
            awaitDerivative(derivative.get());
            results.analyzed(new ImageAnalyzed(job.imageId(), job.tenant(), job.attempt(), derivativeKey,
                    outcome.results(), clock.instant()));
            log.info("Analysed image {} (attempt {}) with {}", job.imageId(), job.attempt(), pipeline.analyzerNames());
            count("analyzed", "none");
        } catch (UnreadableImageException e) {
            throw poison(job, "UNREADABLE_IMAGE", e);
        } catch (ObjectMissingException e) {
            throw poison(job, "OBJECT_MISSING", e);
        }
    }

    private static String eventId(ConsumerRecord<String, byte[]> record) {
        var header = record.headers().lastHeader(CloudEventHeaders.kafka("id"));
        return header == null ? null : new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** {@code tu.analyses}: images analysed, or dead-lettered with their reason code. */
    private void count(String outcome, String reason) {
        meters.counter("tu.analyses", "outcome", outcome, "reason", reason).increment();
    }

    /** The derivative's own failure, unwrapped, so the error handler treats it like any other (transient). */
    private static void awaitDerivative(CompletableFuture<Void> derivative) {
        try {
            derivative.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** Tells the workflow it failed for good, then hands the record to the dead-letter topic. */
    private PoisonMessageException poison(Job job, String code, RuntimeException cause) {
        count("dead-lettered", code);
        results.failed(new ImageAnalysisFailed(job.imageId(), job.tenant(), job.attempt(), code, cause.getMessage(),
                clock.instant()));
        return new PoisonMessageException(code, cause.getMessage(), cause);
    }
}
