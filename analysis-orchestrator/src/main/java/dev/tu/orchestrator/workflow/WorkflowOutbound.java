package dev.tu.orchestrator.workflow;

/** What the workflow sends out; the messaging package implements it on RabbitMQ. */
public interface WorkflowOutbound {

    /**
     * Asks for an analysis through {@code tu.commands}; returns only once the broker confirmed, so a
     * caller inside a transaction rolls back when the command could not be sent.
     */
    void requestAnalysis(Analysis analysis, String objectKey, String reason);

    /**
     * Announces a status change on {@code tu.notifications}; returns only once the broker confirmed it,
     * and throws otherwise, so that it is sent again.
     */
    void statusChanged(StatusChanged change);
}
