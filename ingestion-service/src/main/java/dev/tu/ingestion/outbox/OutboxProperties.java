package dev.tu.ingestion.outbox;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The topics this service produces to, which it declares.
 *
 * @param partitions        partitions of each declared topic
 * @param replicationFactor replicas of each declared topic (1 on a single local broker)
 * @param source            CloudEvents source of every event this service emits
 * @param resubmitAfter     age after which an unacknowledged outbox record is sent again; longer than
 *                          the producer's delivery timeout
 * @param resubmitEvery     how often to look for such records
 */
@Validated
@ConfigurationProperties("tu.events")
record OutboxProperties(
        @DefaultValue("6") @Min(1) int partitions,
        @DefaultValue("1") @Min(1) short replicationFactor,
        @DefaultValue("/tu/ingestion-service") String source,
        @DefaultValue("3m") java.time.Duration resubmitAfter,
        @DefaultValue("30s") java.time.Duration resubmitEvery) {
}
