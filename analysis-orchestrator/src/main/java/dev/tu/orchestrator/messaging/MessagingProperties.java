package dev.tu.orchestrator.messaging;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * RabbitMQ settings of the orchestrator.
 *
 * @param deliveryLimit  deliveries of one event before it is dead-lettered
 * @param confirmTimeout how long to wait for the broker's confirm of a command
 * @param source         CloudEvents source of what the orchestrator emits
 */
@Validated
@ConfigurationProperties("tu.messaging")
record MessagingProperties(
        @DefaultValue("10") @Min(1) int deliveryLimit,
        @DefaultValue("10s") @NotNull Duration confirmTimeout,
        @DefaultValue("/tu/analysis-orchestrator") String source) {
}
