package dev.tu.vision.kafka;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The adapter's Kafka side.
 *
 * @param partitions        partitions of the topics it declares
 * @param replicationFactor replicas of the topics it declares
 * @param sendTimeout       how long to wait for Kafka to acknowledge a result
 * @param maxBackoff        longest pause between retries of a transient fault
 * @param source            CloudEvents source of its events
 */
@Validated
@ConfigurationProperties("tu.adapter")
record AdapterProperties(
        @DefaultValue("6") @Min(1) int partitions,
        @DefaultValue("1") @Min(1) short replicationFactor,
        @DefaultValue("30s") @NotNull Duration sendTimeout,
        @DefaultValue("30s") @NotNull Duration maxBackoff,
        @DefaultValue("/tu/ai-vision-adapter") String source) {
}
