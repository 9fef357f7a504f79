/**
 * The Kafka loop: consume {@code tu.image.uploaded} and {@code tu.analysis.requested}, analyse, publish
 * the result keyed by image id, and only then let the offset be committed. Transient faults are retried
 * with back-off (the partition waits); poison messages get a {@code tu.image.analysis-failed} event and
 * go to the dead-letter topic with their cause, and the partition flows on.
 */
package dev.tu.vision.kafka;
