package dev.tu.orchestrator.deadletters;

import java.time.Instant;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A dead letter as it arrives, before it is stored.
 *
 * @param source   {@code kafka:<topic>} or {@code rabbit:<queue>}
 * @param position its position there (Kafka: partition@offset@record timestamp, since offsets restart when a
 *                 topic is recreated; RabbitMQ: event id, death time and count); captured once however often
 *                 it is delivered
 * @param origin   where a replay sends it
 * @param key      Kafka key, if any
 * @param headers  the headers a replay sends again (the broker's dead-letter bookkeeping left out)
 * @param payload  the bytes, as they were
 * @param cause    why it was given up on
 * @param at       when it was captured
 */
record Captured(String source, String position, String origin, String key, Map<String, String> headers,
        byte[] payload, String cause, Instant at) {

    private static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}");

    String header(String name) {
        return headers.get(name);
    }

    /** The trace id of its {@code traceparent}, if it has a well-formed one. */
    String traceId() {
        String traceparent = headers.get("traceparent");
        var matcher = traceparent == null ? null : TRACEPARENT.matcher(traceparent);
        return matcher != null && matcher.matches() ? matcher.group(1) : null;
    }
}
