package dev.tu.graph.images;

import dev.tu.graph.downstream.AnalysisView;
import dev.tu.graph.downstream.ImageView;
import java.time.Duration;
import java.time.Instant;

/**
 * "Where is my image?": the step it is at, since when, and — when it has been there too long — what it is
 * waiting for, in words an operator can act on.
 *
 * @param step        UPLOADED, QUEUED, ANALYZING, COMPLETED or FAILED
 * @param since       when it reached that step
 * @param attempts    analysis attempts issued so far
 * @param stuck       whether it has been at that step longer than it should
 * @param explanation what it is waiting for, or why it stopped
 */
record Whereabouts(String step, String since, int attempts, boolean stuck, String explanation) {

    static Whereabouts of(ImageView image, AnalysisView analysis, Instant now, Duration stuckAfter) {
        if (analysis == null) {
            boolean stuck = waited(image.uploadedAt(), now, stuckAfter);
            return new Whereabouts("UPLOADED", image.uploadedAt(), 0, stuck, stuck
                    ? "Stored, but no analysis workflow has started after " + stuckAfter.toSeconds() + " s: the upload "
                            + "event has not reached the orchestrator (ingestion's outbox backlog, Kafka, the bridge)."
                    : "Stored; the analysis workflow is about to start.");
        }
        return switch (analysis.status()) {
            case "RECEIVED" -> {
                boolean stuck = waited(analysis.updatedAt(), now, stuckAfter);
                yield new Whereabouts("QUEUED", analysis.updatedAt(), analysis.attempts(), stuck, stuck
                        ? "The workflow started but no analysis attempt was issued after " + stuckAfter.toSeconds()
                                + " s: is the orchestrator's timeout sweep running?"
                        : "Queued for analysis.");
            }
            case "ANALYZING" -> {
                boolean stuck = analysis.deadlineAt() != null && waited(analysis.deadlineAt(), now, stuckAfter);
                yield new Whereabouts("ANALYZING", analysis.updatedAt(), analysis.attempts(), stuck, stuck
                        ? "Attempt " + analysis.attempts() + " passed its deadline (" + analysis.deadlineAt()
                                + ") and was not re-issued: is the orchestrator running?"
                        : "Attempt " + analysis.attempts() + " is with the models"
                                + (analysis.deadlineAt() == null ? "." : "; it times out at " + analysis.deadlineAt()
                                        + " and is then tried again."));
            }
            case "COMPLETED" -> new Whereabouts("COMPLETED", analysis.updatedAt(), analysis.attempts(), false,
                    "Analysed.");
            default -> new Whereabouts("FAILED", analysis.updatedAt(), analysis.attempts(), false,
                    "Failed for good: " + analysis.failureCode()
                            + (analysis.failureDetail() == null ? "" : " (" + analysis.failureDetail() + ")")
                            + ". Fix the cause, then request a re-analysis.");
        };
    }

    private static boolean waited(String since, Instant now, Duration limit) {
        return since != null && Instant.parse(since).plus(limit).isBefore(now);
    }
}
