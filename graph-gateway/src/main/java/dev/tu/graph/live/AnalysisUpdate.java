package dev.tu.graph.live;

/**
 * A status change as the orchestrator announces it and subscribers receive it.
 *
 * @param imageId     the image
 * @param tenant      its tenant (used for filtering, not exposed in the schema)
 * @param status      the new status
 * @param attempts    attempts so far
 * @param updatedAt   when it changed
 * @param failureCode why it failed, when it did
 * @param traceparent the trace it belongs to, as this replica received it (not exposed in the schema)
 * @param eventId     the CloudEvents id of the notification, for the log lines of its pushes (not exposed)
 */
public record AnalysisUpdate(String imageId, String tenant, String status, int attempts, String updatedAt,
        String failureCode, String traceparent, String eventId) {

    AnalysisUpdate received(String traceparent, String eventId) {
        return new AnalysisUpdate(imageId, tenant, status, attempts, updatedAt, failureCode, traceparent, eventId);
    }
}
