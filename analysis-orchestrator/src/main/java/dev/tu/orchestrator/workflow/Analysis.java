package dev.tu.orchestrator.workflow;

import java.time.Instant;
import java.util.UUID;

/**
 * One image's workflow as stored and as the API shows it.
 *
 * @param imageId       the image
 * @param tenant        its tenant
 * @param status        where it stands
 * @param attempts      analysis attempts issued so far
 * @param receivedAt    when the workflow started
 * @param updatedAt     last change
 * @param deadlineAt    when the running attempt times out, when analyzing
 * @param result        the latest result as JSON (the adapter's {@code tu.image.analyzed} payload)
 * @param failureCode   why it failed, when failed
 * @param failureDetail a human explanation, when failed
 */
public record Analysis(
        UUID imageId,
        String tenant,
        AnalysisStatus status,
        int attempts,
        Instant receivedAt,
        Instant updatedAt,
        Instant deadlineAt,
        String result,
        String failureCode,
        String failureDetail) {
}
