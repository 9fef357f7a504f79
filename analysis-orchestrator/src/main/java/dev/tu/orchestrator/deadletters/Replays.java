package dev.tu.orchestrator.deadletters;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends a dead letter back where it came from, with its headers and bytes as they were, plus
 * {@code tu_replay_of} naming the entry and the replay ({@code <id>#<n>}). The entry is claimed under a row lock and marked in the same
 * transaction once the broker acknowledged, so two administrators pressing "replay" at once send it once,
 * and a replayed entry is not sent again unless asked explicitly.
 */
@Service
class Replays {

    private static final Logger log = LoggerFactory.getLogger(Replays.class);
    static final String REPLAY_OF = "tu_replay_of";

    private final DeadLetterStore store;
    private final TransactionTemplate transaction;
    private final KafkaTemplate<String, byte[]> kafka;
    private final RabbitTemplate rabbit;
    private final DeadLetterProperties properties;
    private final Clock clock;

    Replays(DeadLetterStore store, TransactionTemplate transaction, KafkaTemplate<String, byte[]> kafka,
            RabbitTemplate rabbit, DeadLetterProperties properties, Clock clock) {
        this.store = store;
        this.transaction = transaction;
        this.kafka = kafka;
        this.rabbit = rabbit;
        this.properties = properties;
        this.clock = clock;
    }

    /** What a replay did. */
    enum Outcome {
        /** Sent and acknowledged. */
        REPLAYED,
        /** Already replayed (or being replayed right now): nothing sent. */
        ALREADY_REPLAYED
    }

    /** Empty when there is no such entry. */
    Optional<Outcome> replay(UUID id, boolean again) {
        if (store.find(id).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(transaction.execute(status -> {
            if (!store.claim(id, again)) {
                return Outcome.ALREADY_REPLAYED;
            }
            DeadLetter entry = store.find(id).orElseThrow();
            send(entry, store.content(id), entry.id() + "#" + (entry.replays() + 1));
            store.markReplayed(id, clock.instant());
            log.info("Replayed dead letter {} (event {}) to {}", id, entry.eventId(), entry.origin());
            return Outcome.REPLAYED;
        }));
    }

    /** Replays every entry not replayed yet; returns the ids it replayed. */
    List<UUID> replayPending() {
        List<UUID> replayed = new ArrayList<>();
        for (DeadLetter entry : store.list(true, 1000)) {
            if (replay(entry.id(), false).orElse(Outcome.ALREADY_REPLAYED) == Outcome.REPLAYED) {
                replayed.add(entry.id());
            }
        }
        return replayed;
    }

    /** @param replay names this replay of this entry: the value of {@code tu_replay_of} */
    private void send(DeadLetter entry, DeadLetterStore.Content content, String replay) {
        String origin = entry.origin();
        try {
            if (origin.startsWith("kafka:")) {
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(origin.substring("kafka:".length()),
                        entry.key(), content.payload());
                content.headers().forEach((name, value) -> record.headers().add(name, bytes(value)));
                record.headers().remove(REPLAY_OF).add(REPLAY_OF, bytes(replay));
                kafka.send(record).get(properties.replayTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } else if (origin.startsWith("rabbit:")) {
                String target = origin.substring("rabbit:".length());
                int slash = target.indexOf('/');
                MessageProperties amqp = new MessageProperties();
                amqp.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
                amqp.setContentType("application/json");
                content.headers().forEach(amqp::setHeader);
                amqp.setHeader(REPLAY_OF, replay);
                CorrelationData correlation = new CorrelationData(entry.id().toString());
                rabbit.send(target.substring(0, slash), target.substring(slash + 1),
                        new Message(content.payload(), amqp), correlation);
                CorrelationData.Confirm confirm = correlation.getFuture()
                        .get(properties.replayTimeout().toMillis(), TimeUnit.MILLISECONDS);
                if (!confirm.ack()) {
                    throw new IllegalStateException("RabbitMQ refused the replay: " + confirm.reason());
                }
            } else {
                throw new IllegalStateException("Unknown origin " + origin);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted replaying " + entry.id(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("The broker did not acknowledge the replay of " + entry.id(), e);
        }
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
