package dev.tu.orchestrator.workflow;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Workflow timing.
 *
 * @param attemptTimeout how long an attempt may run before it is re-issued
 * @param maxAttempts    attempts before the workflow fails with {@code TIMED_OUT}
 * @param sweepEvery     how often overdue attempts are looked for
 * @param sweepBatch     most overdue workflows one sweep claims
 * @param resendEvery    how often status changes RabbitMQ has not confirmed are looked for
 * @param resendAfter    how old an unconfirmed status change is before it is sent again
 * @param keepSent       how long a confirmed status change stays in {@code event_publication} (for
 *                       inspection) before it is deleted
 */
@Validated
@ConfigurationProperties("tu.workflow")
public record WorkflowProperties(
        @DefaultValue("2m") @NotNull Duration attemptTimeout,
        @DefaultValue("3") @Min(1) int maxAttempts,
        @DefaultValue("5s") @NotNull Duration sweepEvery,
        @DefaultValue("50") @Min(1) int sweepBatch,
        @DefaultValue("15s") @NotNull Duration resendEvery,
        @DefaultValue("30s") @NotNull Duration resendAfter,
        @DefaultValue("1h") @NotNull Duration keepSent) {
}
