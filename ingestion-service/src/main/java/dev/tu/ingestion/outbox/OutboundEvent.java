package dev.tu.ingestion.outbox;

import java.time.Instant;
import java.util.UUID;

/**
 * An event on its way out, with the CloudEvents attributes fixed when it was published — not when it
 * is sent — so a resubmission after a crash carries the same id (consumers deduplicate on it) and the
 * trace of the request that caused it.
 *
 * @param id          CloudEvents id, unique per event and stable across resubmissions
 * @param type        CloudEvents type, also the topic
 * @param subject     CloudEvents subject and Kafka record key: the image id
 * @param tenant      the tenant that owns the subject
 * @param time        when the event happened
 * @param traceparent W3C trace context of the request that caused it, or null
 * @param payload     the contract record serialised as the record value
 */
public record OutboundEvent(
        UUID id, String type, String subject, String tenant, Instant time, String traceparent, Object payload) {
}
