package dev.tu.orchestrator.deadletters;

import dev.tu.contracts.Exchanges;
import dev.tu.contracts.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.stereotype.Component;

/**
 * Copies every dead letter into the store, once: the Kafka offset is committed and the RabbitMQ message
 * acked only after the row is committed, and a redelivery finds its (source, position) already there.
 */
@Component
class DeadLetterCapture {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterCapture.class);
    /** {@code Exchanges.deadLetterQueue(ORCHESTRATOR_EVENTS_QUEUE)}, spelled as a constant for the annotation. */
    static final String RABBIT_QUEUE = Exchanges.ORCHESTRATOR_EVENTS_QUEUE + ".dlq";

    private final DeadLetterStore store;
    private final Clock clock;
    private final MeterRegistry meters;

    DeadLetterCapture(DeadLetterStore store, Clock clock, MeterRegistry meters) {
        this.store = store;
        this.clock = clock;
        this.meters = meters;
    }

    @KafkaListener(id = "kafka-dead-letters", idIsGroup = false,
            topics = "#{'${tu.dead-letters.kafka-topics:tu.image.uploaded.dlt,tu.analysis.requested.dlt}'.split(',')}")
    void onKafkaDeadLetter(ConsumerRecord<String, byte[]> record) {
        Map<String, String> headers = new LinkedHashMap<>();
        String cause = null;
        String originalTopic = null;
        for (Header header : record.headers()) {
            String value = header.value() == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
            switch (header.key()) {
                case Topics.DEAD_LETTER_REASON -> cause = value;
                case KafkaHeaders.DLT_EXCEPTION_MESSAGE -> cause = cause != null ? cause : value;
                case KafkaHeaders.DLT_ORIGINAL_TOPIC -> originalTopic = value;
                default -> {
                    // Spring Kafka's bookkeeping (offsets, stack trace) is not sent again on replay, and a
                    // binary header (a serialized exception) is no text to store: it would block the capture.
                    if (!header.key().startsWith(KafkaHeaders.PREFIX + "dlt-") && isText(header.value())) {
                        headers.put(header.key(), value);
                    }
                }
            }
        }
        String topic = originalTopic != null ? originalTopic : record.topic().replaceFirst("\\.dlt$", "");
        // Offsets start again at 0 when a topic is recreated (or a broker rebuilt): the record's timestamp
        // tells a new record at an old offset from a redelivery of one already captured.
        String position = record.partition() + "@" + record.offset() + "@" + Instant.ofEpochMilli(record.timestamp());
        capture(new Captured("kafka:" + record.topic(), position, "kafka:" + topic,
                record.key(), headers, record.value(), cause, clock.instant()));
    }

    @RabbitListener(id = "rabbit-dead-letters", queues = RABBIT_QUEUE)
    void onRabbitDeadLetter(Message message) {
        MessageProperties properties = message.getMessageProperties();
        List<Map<String, ?>> deaths = properties.getXDeathHeader();
        Map<String, ?> death = deaths == null || deaths.isEmpty() ? Map.of() : deaths.getFirst();
        Object routingKeys = death.get("routing-keys");
        String routingKey = routingKeys instanceof List<?> keys && !keys.isEmpty() ? keys.getFirst().toString()
                : properties.getReceivedRoutingKey();
        Map<String, String> headers = new LinkedHashMap<>();
        properties.getHeaders().forEach((name, value) -> {
            if (!name.startsWith("x-") && value != null) {
                headers.put(name, value.toString());
            }
        });
        String eventId = headers.getOrDefault("cloudEvents_id", properties.getMessageId());
        String cause = death.get("reason") + " in " + death.get("queue") + " (dead-lettered " + death.get("count")
                + " time(s))";
        // One death is one entry: a redelivery of the same death is not captured twice, a replay that
        // dies again is (its x-death was not replayed, so it starts a new one).
        Object time = death.get("time");
        String when = time instanceof java.util.Date date ? date.toInstant().toString() : String.valueOf(time);
        String replay = headers.containsKey(Replays.REPLAY_OF) ? "/replay-of:" + headers.get(Replays.REPLAY_OF) : "";
        capture(new Captured("rabbit:" + RABBIT_QUEUE, eventId + "@" + when + "#" + death.get("count") + replay,
                "rabbit:" + death.get("exchange") + "/" + routingKey, null, headers, message.getBody(), cause,
                clock.instant()));
    }

    private static boolean isText(byte[] value) {
        if (value == null) {
            return true;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(value)).chars()
                    .noneMatch(c -> c == 0);
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    private void capture(Captured captured) {
        if (store.capture(captured)) {
            meters.counter("tu.dead_letters.captured", "source", captured.source()).increment();
            log.warn("Dead letter from {} at {} (trace {}): {}", captured.source(), captured.position(),
                    captured.traceId(), captured.cause());
        }
    }
}
