package dev.tu.bridge.routing;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What the bridge moves, and how patiently.
 *
 * @param routes         the mapping; adding an event type is a new entry here, not code
 * @param commandsQueue  the quorum queue the bridge consumes for RabbitMQ → Kafka routes
 * @param confirmTimeout how long to wait for a broker's confirm/ack before the batch is retried
 * @param consumers      Kafka consumers (threads, each with its own RabbitMQ channel) of the Kafka →
 *                       RabbitMQ direction; their batches are in flight at the same time
 * @param deliveryLimit  deliveries of one command before RabbitMQ dead-letters it
 * @param partitions     partitions of the Kafka topics the bridge produces to (and so declares)
 * @param replicationFactor replicas of those topics
 * @param lagRefresh     how often the RabbitMQ → Kafka lag (messages waiting in the commands queue) is
 *                       read from the broker; a scrape reads the last value, never the broker
 */
@Validated
@ConfigurationProperties("tu.bridge")
public record BridgeProperties(
        @NotEmpty List<@Valid Route> routes,
        @DefaultValue("tu.bridge.commands") @NotBlank String commandsQueue,
        @DefaultValue("15s") @NotNull Duration confirmTimeout,
        @DefaultValue("3") @Min(1) int consumers,
        @DefaultValue("20") @Min(1) int deliveryLimit,
        @DefaultValue("6") @Min(1) int partitions,
        @DefaultValue("1") @Min(1) short replicationFactor,
        @DefaultValue("5s") @NotNull Duration lagRefresh) {

    /** Which way a route carries messages. */
    public enum Direction {
        /** Kafka topic → RabbitMQ exchange. */
        KAFKA_TO_RABBIT,
        /** RabbitMQ exchange (through the commands queue) → Kafka topic. */
        RABBIT_TO_KAFKA
    }

    /**
     * One mapping.
     *
     * @param direction  which way
     * @param topic      the Kafka topic
     * @param exchange   the RabbitMQ topic exchange
     * @param routingKey the routing key; defaults to the topic name, which is also the event type
     * @param parkUnrouted what happens to a message no queue is bound for: {@code true} (the default) parks
     *                   it in {@code tu.unrouted} (the exchange is declared with that alternate exchange);
     *                   {@code false} holds it: RabbitMQ returns it, the Kafka offset is not committed and
     *                   it is published again until a queue is bound. Every route naming one exchange
     *                   must say the same
     */
    public record Route(@NotNull Direction direction, @NotBlank String topic, @NotBlank String exchange,
            String routingKey, @DefaultValue("true") boolean parkUnrouted) {

        /** The routing key, the topic's name when none is configured. */
        public String effectiveRoutingKey() {
            return routingKey == null || routingKey.isBlank() ? topic : routingKey;
        }
    }
}
