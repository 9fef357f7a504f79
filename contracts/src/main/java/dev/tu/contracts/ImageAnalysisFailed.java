package dev.tu.contracts;

import java.time.Instant;
import java.util.UUID;

/**
 * An analysis attempt failed and will not succeed by retrying the same bytes.
 *
 * @param imageId  the image, also the record key
 * @param tenant   the tenant that owns the image
 * @param attempt  the attempt that failed
 * @param code     a stable machine-readable reason, e.g. {@code UNREADABLE_IMAGE}, {@code OBJECT_MISSING}
 * @param detail   a human-readable explanation
 * @param failedAt when it failed
 */
public record ImageAnalysisFailed(
        UUID imageId, String tenant, int attempt, String code, String detail, Instant failedAt) {
}
