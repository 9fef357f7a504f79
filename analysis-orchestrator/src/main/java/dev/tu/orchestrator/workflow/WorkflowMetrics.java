package dev.tu.orchestrator.workflow;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * {@code tu.workflows}: how many images are in each workflow state, read from the database at each scrape,
 * so every orchestrator replica reports the same, true figure (a count kept in memory would not survive a
 * restart nor add up across replicas).
 */
@Component
class WorkflowMetrics {

    WorkflowMetrics(JdbcClient jdbc, MeterRegistry meters) {
        for (AnalysisStatus status : AnalysisStatus.values()) {
            Gauge.builder("tu.workflows", jdbc, db -> count(db, status))
                    .description("Images in each workflow state")
                    .tag("state", status.name().toLowerCase(java.util.Locale.ROOT))
                    .register(meters);
        }
    }

    /** NaN while the database does not answer: a gap in the graph, not a false zero. */
    private static double count(JdbcClient jdbc, AnalysisStatus status) {
        try {
            return jdbc.sql("select count(*) from analysis where status = ?").param(status.name())
                    .query(Long.class).single();
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }
}
