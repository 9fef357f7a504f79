package dev.tu.ingestion.outbox;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * {@code tu.outbox.backlog}: events stored but not yet acknowledged by Kafka. It grows while Kafka is away
 * and drains when it is back; a backlog that only grows is what an operator is alerted on.
 */
@Component
class OutboxBacklog {

    OutboxBacklog(JdbcTemplate jdbc, MeterRegistry meters) {
        Gauge.builder("tu.outbox.backlog", jdbc, OutboxBacklog::incomplete)
                .description("Outbox events not yet acknowledged by Kafka").register(meters);
    }

    /** NaN while the database does not answer: a gap in the graph, not a false zero. */
    private static double incomplete(JdbcTemplate jdbc) {
        try {
            Long count = jdbc.queryForObject("select count(*) from event_publication where completion_date is null",
                    Long.class);
            return count == null ? Double.NaN : count;
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }
}
