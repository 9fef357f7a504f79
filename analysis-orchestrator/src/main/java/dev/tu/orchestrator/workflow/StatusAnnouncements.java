package dev.tu.orchestrator.workflow;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.modulith.events.CompletedEventPublications;
import org.springframework.modulith.events.IncompleteEventPublications;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Sends every status change once its transaction committed, and again until RabbitMQ confirmed it: the
 * event publication registry (table {@code event_publication}) holds each one from the workflow's
 * transaction until this listener returned, so a change announced while RabbitMQ is down is delayed, not
 * lost. A resent change has the same message id and the same content: a subscriber that sees it twice
 * shows the same status again.
 */
@Component
class StatusAnnouncements {

    private static final Logger log = LoggerFactory.getLogger(StatusAnnouncements.class);

    private final WorkflowOutbound outbound;
    private final IncompleteEventPublications incomplete;
    private final CompletedEventPublications completed;
    private final WorkflowProperties properties;

    StatusAnnouncements(WorkflowOutbound outbound, IncompleteEventPublications incomplete,
            CompletedEventPublications completed, WorkflowProperties properties) {
        this.outbound = outbound;
        this.incomplete = incomplete;
        this.completed = completed;
        this.properties = properties;
    }

    /** Throws when RabbitMQ did not confirm: the publication then stays incomplete and is sent again. */
    @TransactionalEventListener
    void announce(StatusChanged change) {
        outbound.statusChanged(change);
    }

    @Scheduled(fixedDelayString = "${tu.workflow.resend-every:15s}", initialDelayString = "${tu.workflow.resend-every:15s}")
    void resendUnconfirmed() {
        try {
            incomplete.resubmitIncompletePublicationsOlderThan(properties.resendAfter());
        } catch (RuntimeException e) {
            // The database is away: the rows are still there, the next run tries again.
            log.warn("Could not resend unconfirmed status changes: {}", e.toString());
        }
    }

    /** The outbox keeps what is still to send; what was confirmed goes after {@code tu.workflow.keep-sent}. */
    @Scheduled(fixedDelayString = "${tu.workflow.keep-sent:1h}", initialDelayString = "${tu.workflow.keep-sent:1h}")
    void deleteSent() {
        try {
            completed.deletePublicationsOlderThan(properties.keepSent());
        } catch (RuntimeException e) {
            log.warn("Could not delete sent status changes: {}", e.toString());
        }
    }
}
