package dev.tu.orchestrator.workflow;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Runs the overdue sweep on a fixed delay; every replica runs it, the database splits the work. */
@Component
class TimeoutSweeper {

    private static final Logger log = LoggerFactory.getLogger(TimeoutSweeper.class);

    private final Workflow workflow;

    TimeoutSweeper(Workflow workflow) {
        this.workflow = workflow;
    }

    @Scheduled(fixedDelayString = "${tu.workflow.sweep-every:5s}")
    void sweep() {
        try {
            int acted = workflow.sweepOverdue();
            if (acted > 0) {
                log.info("Re-issued or failed {} overdue analyses", acted);
            }
        } catch (RuntimeException e) {
            // Broker or database away: the claimed rows roll back and the next sweep tries again.
            log.warn("Timeout sweep failed: {}", e.toString());
        }
    }
}
