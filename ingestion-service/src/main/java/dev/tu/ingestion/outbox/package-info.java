/**
 * The transactional outbox, by Spring Modulith: events published inside the upload's transaction are
 * stored in {@code event_publication} with it, externalized to Kafka after commit (key = image id,
 * CloudEvents headers, traceparent), marked complete once Kafka acknowledged, resubmitted on restart.
 */
package dev.tu.ingestion.outbox;
