package dev.tu.ingestion.images;

import dev.tu.contracts.EventTypes;
import dev.tu.contracts.ImageUploaded;
import dev.tu.ingestion.inspection.ImageInspector;
import dev.tu.ingestion.inspection.ImageRejectedException;
import dev.tu.ingestion.inspection.Inspection;
import dev.tu.ingestion.outbox.OutboundEvent;
import dev.tu.ingestion.storage.ObjectStore;
import dev.tu.ingestion.storage.StoreUnavailableException;
import dev.tu.service.caller.Caller;
import dev.tu.service.logging.LogContext;
import dev.tu.service.tracing.TraceContext;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.ErrorResponseException;

/**
 * Accepts an upload: inspect, put the bytes, then commit the row and the outbox record together.
 *
 * <p>The bytes go first because the store is not transactional: if the commit then fails, the object
 * is deleted again and nothing refers to it; if the store fails, nothing was committed. Either way the
 * client gets 503 and may retry with the same Idempotency-Key.
 */
@Service
class ImageUploads {

    private static final Logger log = LoggerFactory.getLogger(ImageUploads.class);

    private final ImageInspector inspector;
    private final ObjectStore store;
    private final ImageRepository images;
    private final TransactionTemplate transaction;
    private final ApplicationEventPublisher events;
    private final TraceContext trace;
    private final Clock clock;
    private final MeterRegistry meters;
    private final DistributionSummary acceptedBytes;

    ImageUploads(ImageInspector inspector, ObjectStore store, ImageRepository images, TransactionTemplate transaction,
            ApplicationEventPublisher events, TraceContext trace, Clock clock, MeterRegistry meters) {
        this.meters = meters;
        this.acceptedBytes = DistributionSummary.builder("tu.uploads.bytes").baseUnit("bytes")
                .description("Size of the accepted originals").register(meters);
        this.inspector = inspector;
        this.store = store;
        this.images = images;
        this.transaction = transaction;
        this.events = events;
        this.trace = trace;
        this.clock = clock;
    }

    /** The result of an upload: the image, and whether an earlier upload with the same key returned it. */
    record Accepted(Image image, boolean duplicate) {
    }

    Accepted upload(Caller caller, UploadRequest request) {
        Inspection inspection;
        try {
            inspection = inspector.inspect(request.bytes(), request.declaredType(), request.fileName());
        } catch (ImageRejectedException e) {
            count("rejected", e.code());
            throw e;
        }
        if (request.idempotencyKey() != null) {
            var earlier = images.findByIdempotencyKey(caller.tenant(), request.idempotencyKey());
            if (earlier.isPresent()) {
                count("duplicate", "none");
                return replay(earlier.get(), inspection.sha256());
            }
        }
        UUID id = UUID.randomUUID();
        Image image = new Image(id, caller.tenant(), caller.username() != null ? caller.username() : caller.subject(),
                request.assetId(), inspection.originalName(), inspection.format().mediaType(),
                inspection.sizeBytes(), inspection.sha256(), inspection.width(), inspection.height(),
                inspection.orientation(), inspection.capturedAt(),
                inspection.gps() == null ? null : inspection.gps().latitude(),
                inspection.gps() == null ? null : inspection.gps().longitude(),
                objectKey(caller.tenant(), id), request.idempotencyKey(),
                // PostgreSQL keeps microseconds; so must the cursor built from this value.
                Instant.now(clock).truncatedTo(ChronoUnit.MICROS));

        try (var logContext = LogContext.with(caller.tenant(), id, null)) {
            return store(image, request);
        }
    }

    private Accepted store(Image image, UploadRequest request) {
        UUID id = image.id();
        store.put(image.objectKey(), request.bytes(), image.contentType());
        try {
            transaction.executeWithoutResult(status -> {
                images.insert(image);
                events.publishEvent(uploadedEvent(image));
            });
            log.info("Accepted image {} ({} bytes, {}x{}) for tenant {}", id, image.sizeBytes(), image.width(),
                    image.height(), image.tenant());
            count("accepted", "none");
            acceptedBytes.record(image.sizeBytes());
            return new Accepted(image, false);
        } catch (DuplicateKeyException raced) {
            // Two uploads with the same Idempotency-Key at once: the other one won, ours is undone.
            deleteQuietly(image.objectKey());
            return images.findByIdempotencyKey(image.tenant(), request.idempotencyKey())
                    .map(earlier -> replay(earlier, image.sha256()))
                    .orElseThrow(() -> raced);
        } catch (DataAccessException | org.springframework.transaction.TransactionException e) {
            deleteQuietly(image.objectKey());
            throw e;
        }
    }

    /** {@code tu.uploads}: every upload by outcome (accepted, duplicate, rejected) and rejection code. */
    private void count(String outcome, String reason) {
        meters.counter("tu.uploads", "outcome", outcome, "reason", reason).increment();
    }

    /** A repeated Idempotency-Key returns the first image, unless the bytes differ: then it is a mistake. */
    private static Accepted replay(Image earlier, String sha256) {
        if (!earlier.sha256().equals(sha256)) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
                    "This Idempotency-Key was already used for a different file.");
            problem.setProperty("code", "IDEMPOTENCY_KEY_REUSED");
            throw new ErrorResponseException(HttpStatus.CONFLICT, problem, null);
        }
        return new Accepted(earlier, true);
    }

    private OutboundEvent uploadedEvent(Image image) {
        ImageUploaded payload = new ImageUploaded(image.id(), image.tenant(), image.assetId(), image.objectKey(),
                image.contentType(), image.sizeBytes(), image.sha256(), image.uploadedAt());
        // One upload event per image: a name-based id is stable even if the event is rebuilt.
        UUID eventId = UUID.nameUUIDFromBytes((EventTypes.IMAGE_UPLOADED + ":" + image.id())
                .getBytes(StandardCharsets.UTF_8));
        return new OutboundEvent(eventId, EventTypes.IMAGE_UPLOADED, image.id().toString(), image.tenant(),
                image.uploadedAt(), trace.traceparent().orElse(null), payload);
    }

    private void deleteQuietly(String objectKey) {
        try {
            store.delete(objectKey);
        } catch (StoreUnavailableException e) {
            log.warn("Could not remove {} after a failed commit; it is unreferenced", objectKey, e);
        }
    }

    /** Originals live under the tenant, so a store policy or a listing can never mix tenants. */
    static String objectKey(String tenant, UUID id) {
        return "originals/" + tenant + "/" + id;
    }
}
