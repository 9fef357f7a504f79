package dev.tu.graph.downstream;

/**
 * An analysis workflow as analysis-orchestrator answers it.
 *
 * @param imageId       the image
 * @param status        RECEIVED, ANALYZING, COMPLETED or FAILED
 * @param attempts      attempts so far
 * @param receivedAt    workflow start
 * @param updatedAt     last change
 * @param deadlineAt    when the running attempt times out, while analyzing
 * @param result        the {@code tu.image.analyzed} payload as JSON, when completed
 * @param failureCode   when failed
 * @param failureDetail when failed
 */
public record AnalysisView(String imageId, String status, int attempts, String receivedAt, String updatedAt,
        String deadlineAt, String result, String failureCode, String failureDetail) {
}
