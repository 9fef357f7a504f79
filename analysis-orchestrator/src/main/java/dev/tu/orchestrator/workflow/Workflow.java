package dev.tu.orchestrator.workflow;

import dev.tu.contracts.EventTypes;
import dev.tu.service.logging.LogContext;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Applies events and commands to the workflow state, one transaction each. */
@Service
@EnableConfigurationProperties(WorkflowProperties.class)
public class Workflow {

    private static final Logger log = LoggerFactory.getLogger(Workflow.class);

    private final AnalysisRepository analyses;
    private final WorkflowOutbound outbound;
    private final WorkflowProperties properties;
    private final Clock clock;
    private final ApplicationEventPublisher events;

    Workflow(AnalysisRepository analyses, WorkflowOutbound outbound, WorkflowProperties properties, Clock clock,
            ApplicationEventPublisher events) {
        this.analyses = analyses;
        this.outbound = outbound;
        this.properties = properties;
        this.clock = clock;
        this.events = events;
    }

    /**
     * Applies an event once: a redelivered event id changes nothing. Events may come in any order; a
     * result completes the workflow even after a timeout gave up on it; a second result or a failure
     * after the end changes nothing.
     *
     * @return whether the event changed anything
     */
    @Transactional
    public boolean apply(IncomingEvent event) {
        Instant now = clock.instant();
        if (!analyses.markApplied(event.id(), event.imageId(), event.type(), now)) {
            log.debug("Event {} already applied", event.id());
            return false;
        }
        analyses.insertIfAbsent(event.imageId(), event.tenant(), event.objectKey(), now);
        Analysis current = analyses.lock(event.imageId()).orElseThrow();
        switch (event.type()) {
            case EventTypes.IMAGE_UPLOADED -> {
                if (current.status() != AnalysisStatus.RECEIVED) {
                    return false;
                }
                // The adapter consumes tu.image.uploaded itself: attempt 1 is already on its way.
                analyses.startAttempt(event.imageId(), 1, now.plus(properties.attemptTimeout()), now);
            }
            case EventTypes.IMAGE_ANALYZED -> {
                // The result of an earlier attempt, late after a retry's: the first result stands and is
                // announced once (issue 11's fault run saw images completed two and three times).
                if (current.status() == AnalysisStatus.COMPLETED) {
                    return false;
                }
                analyses.complete(event.imageId(), event.resultJson(), now);
            }
            case EventTypes.IMAGE_ANALYSIS_FAILED -> {
                // Never overrides a result, nor an earlier end: a workflow fails once.
                if (current.status() == AnalysisStatus.COMPLETED || current.status() == AnalysisStatus.FAILED) {
                    return false;
                }
                analyses.fail(event.imageId(), event.failureCode(), event.failureDetail(), now);
            }
            default -> {
                log.warn("Ignoring event {} of unknown type {}", event.id(), event.type());
                return false;
            }
        }
        announce(event.imageId());
        return true;
    }

    /** Starts another attempt on the caller's request; empty when the tenant has no such image. */
    @Transactional
    public Optional<Analysis> requestReanalysis(String tenant, UUID imageId) {
        Optional<Analysis> current = analyses.find(tenant, imageId);
        if (current.isEmpty()) {
            return Optional.empty();
        }
        Analysis locked = analyses.lock(imageId).orElseThrow();
        issueAttempt(locked, "user");
        return analyses.find(tenant, imageId);
    }

    /**
     * Re-issues overdue attempts and fails workflows out of attempts. Rows are claimed with SKIP
     * LOCKED in this transaction, so replicas sweeping at once share the work and never repeat it.
     *
     * @return how many workflows it acted on
     */
    @Transactional
    public int sweepOverdue() {
        Instant now = clock.instant();
        List<Analysis> overdue = analyses.claimOverdue(now, properties.sweepBatch());
        for (Analysis analysis : overdue) {
            if (analysis.attempts() >= properties.maxAttempts()) {
                analyses.fail(analysis.imageId(), "TIMED_OUT",
                        "No result after " + analysis.attempts() + " attempts of " + properties.attemptTimeout(), now);
                announce(analysis.imageId());
            } else {
                issueAttempt(analysis, "timeout");
            }
        }
        return overdue.size();
    }

    private void issueAttempt(Analysis analysis, String reason) {
        Instant now = clock.instant();
        int attempt = analysis.attempts() + 1;
        analyses.startAttempt(analysis.imageId(), attempt, now.plus(properties.attemptTimeout()), now);
        Analysis started = analyses.lock(analysis.imageId()).orElseThrow();
        outbound.requestAnalysis(started, analyses.objectKey(analysis.imageId()), reason);
        announce(analysis.imageId());
    }

    /** Records the change in this transaction; {@link StatusAnnouncements} sends it once committed. */
    private void announce(UUID imageId) {
        analyses.findAny(imageId).ifPresent(analysis -> {
            // One line per status change; the sweeper has no event in the log context, so set the image's.
            try (var context = LogContext.with(analysis.tenant(), imageId, null)) {
                log.info("Image {} changes to {} (attempt {})", imageId, analysis.status(), analysis.attempts());
            }
            events.publishEvent(StatusChanged.of(analysis));
        });
    }
}
