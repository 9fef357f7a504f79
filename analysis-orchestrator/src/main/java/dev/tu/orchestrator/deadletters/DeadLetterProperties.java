package dev.tu.orchestrator.deadletters;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where dead letters are collected from, and how they are replayed.
 *
 * @param kafkaTopics   the dead-letter topics read (the adapter's)
 * @param partitions    partitions of those topics when this service has to create them
 * @param replayTimeout how long a replay waits for the broker's acknowledgement
 */
@Validated
@ConfigurationProperties("tu.dead-letters")
record DeadLetterProperties(
        @DefaultValue({"tu.image.uploaded.dlt", "tu.analysis.requested.dlt"}) @NotEmpty List<String> kafkaTopics,
        @DefaultValue("6") @Min(1) int partitions,
        @DefaultValue("10s") @NotNull Duration replayTimeout) {
}
