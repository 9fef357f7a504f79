package dev.tu.ingestion.outbox;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.modulith.events.IncompleteEventPublications;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Sends again what Kafka did not acknowledge. The producer itself retries for its delivery timeout;
 * anything still incomplete after {@code tu.events.resubmit-after} (longer than that timeout, so the
 * two never race) is resubmitted here, so a long broker outage delays events but loses none. The
 * event id is stable, so a rare duplicate is dropped by idempotent consumers.
 */
@Component
class OutboxResubmission {

    private static final Logger log = LoggerFactory.getLogger(OutboxResubmission.class);

    private final IncompleteEventPublications incomplete;
    private final OutboxProperties properties;

    OutboxResubmission(IncompleteEventPublications incomplete, OutboxProperties properties) {
        this.incomplete = incomplete;
        this.properties = properties;
    }

    @Scheduled(fixedDelayString = "${tu.events.resubmit-every:30s}", initialDelayString = "${tu.events.resubmit-every:30s}")
    void resubmitStalePublications() {
        try {
            incomplete.resubmitIncompletePublicationsOlderThan(properties.resubmitAfter());
        } catch (RuntimeException e) {
            // Database away: the next run tries again; nothing is lost, the rows are still there.
            log.warn("Could not resubmit outbox records: {}", e.toString());
        }
    }
}
