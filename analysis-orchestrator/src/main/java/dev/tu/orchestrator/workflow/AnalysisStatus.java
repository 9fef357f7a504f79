package dev.tu.orchestrator.workflow;

/** Where an image's analysis stands. */
public enum AnalysisStatus {
    /** Uploaded; no analysis started yet. */
    RECEIVED,
    /** An attempt is running (or queued) and has a deadline. */
    ANALYZING,
    /** A result arrived. Terminal, unless re-analysis is asked for. */
    COMPLETED,
    /** Failed for good: the adapter said so, or every attempt timed out. */
    FAILED;

    boolean isTerminal() {
        return this == COMPLETED || this == FAILED;
    }
}
