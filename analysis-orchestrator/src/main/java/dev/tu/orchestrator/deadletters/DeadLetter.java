package dev.tu.orchestrator.deadletters;

import java.time.Instant;
import java.util.UUID;

/**
 * A dead-lettered message as administrators see it (its bytes stay in the store).
 *
 * @param id             this entry
 * @param source         where it was dead-lettered: {@code kafka:<topic>} or {@code rabbit:<queue>}
 * @param origin         where a replay sends it: {@code kafka:<topic>} or {@code rabbit:<exchange>/<routing key>}
 * @param key            its Kafka key (the image id), if any
 * @param eventId        its CloudEvents id
 * @param eventType      its CloudEvents type
 * @param tenant         its tenant
 * @param traceId        the trace it belongs to, to find its spans and log lines
 * @param cause          why it was given up on
 * @param deadLetteredAt when it was captured
 * @param replayedAt     when it was last replayed, or null
 * @param replays        how many times it was replayed
 */
public record DeadLetter(UUID id, String source, String origin, String key, String eventId, String eventType,
        String tenant, String traceId, String cause, Instant deadLetteredAt, Instant replayedAt, int replays) {
}
