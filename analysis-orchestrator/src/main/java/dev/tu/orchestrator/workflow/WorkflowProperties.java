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
 */
@Validated
@ConfigurationProperties("tu.workflow")
public record WorkflowProperties(
        @DefaultValue("2m") @NotNull Duration attemptTimeout,
        @DefaultValue("3") @Min(1) int maxAttempts,
        @DefaultValue("5s") @NotNull Duration sweepEvery,
        @DefaultValue("50") @Min(1) int sweepBatch) {
}
