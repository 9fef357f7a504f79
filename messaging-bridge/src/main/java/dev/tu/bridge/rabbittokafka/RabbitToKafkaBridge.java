package dev.tu.bridge.rabbittokafka;

import com.rabbitmq.client.Channel;
import dev.tu.bridge.routing.BridgeProperties;
import dev.tu.bridge.routing.BridgeProperties.Route;
import dev.tu.bridge.routing.Headers;
import dev.tu.bridge.routing.RouteTable;
import dev.tu.service.tracing.TraceContext;
import dev.tu.contracts.CloudEventHeaders;
import dev.tu.service.logging.LogContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

@Component
class RabbitToKafkaBridge {

    private static final Logger log = LoggerFactory.getLogger(RabbitToKafkaBridge.class);

    private final KafkaTemplate<String, byte[]> kafka;
    private final TraceContext trace;
    private final RouteTable routes;
    private final BridgeProperties properties;
    private final Counter bridged;
    private final Counter refused;
    private final Counter dropped;

    RabbitToKafkaBridge(KafkaTemplate<String, byte[]> kafka, RouteTable routes, BridgeProperties properties,
            MeterRegistry meters, TraceContext trace) {
        this.trace = trace;
        this.kafka = kafka;
        this.routes = routes;
        this.properties = properties;
        this.bridged = meters.counter("tu.bridge.messages", "direction", "rabbit-to-kafka", "outcome", "acknowledged");
        this.refused = meters.counter("tu.bridge.messages", "direction", "rabbit-to-kafka", "outcome", "refused");
        this.dropped = meters.counter("tu.bridge.messages", "direction", "rabbit-to-kafka", "outcome", "loop");
    }

    /** What becomes of one delivery. */
    private enum Outcome { ACK, REQUEUE, DEAD_LETTER }

    /** One delivery of the batch and, when it was sent, Kafka's answer to come. */
    private record Delivery(Message message, Outcome decided, CompletableFuture<?> sent) {
    }

    /**
     * Sends a whole consumer batch (up to {@code spring.rabbitmq.listener.simple.batch-size} deliveries)
     * to Kafka, then waits for Kafka's acknowledgements, then acks on RabbitMQ: all of them with one
     * {@code basic.ack multiple} when Kafka took every one, otherwise one by one — what Kafka did not
     * take is returned to the queue (dead-lettered by the queue after its delivery limit).
     */
    @RabbitListener(id = "rabbit-to-kafka", queues = "${tu.bridge.commands-queue:tu.bridge.commands}",
            ackMode = "MANUAL", batch = "true")
    void bridge(List<Message> messages, Channel channel) {
        List<Delivery> deliveries = new ArrayList<>(messages.size());
        String kafkaFailure = null;
        for (Message message : messages) {
            MessageProperties amqp = message.getMessageProperties();
            if ("kafka".equals(amqp.getHeader(Headers.BRIDGED_FROM))) {
                // Came from Kafka through this bridge: carrying it back would loop.
                dropped.increment();
                deliveries.add(new Delivery(message, Outcome.ACK, null));
                continue;
            }
            Optional<Route> route = routes.toKafka(amqp.getReceivedRoutingKey());
            if (route.isEmpty()) {
                try (var logContext = logContext(amqp)) {
                    log.error("No route for routing key {} (command {}); dead-lettering it",
                            amqp.getReceivedRoutingKey(), amqp.getMessageId());
                }
                deliveries.add(new Delivery(message, Outcome.DEAD_LETTER, null));
                continue;
            }
            if (kafkaFailure != null) {
                // The producer already failed in this batch (Kafka away): do not block on every send.
                deliveries.add(new Delivery(message, Outcome.REQUEUE, null));
                continue;
            }
            try {
                deliveries.add(new Delivery(message, null, kafka.send(toKafka(route.get().topic(), message))));
                // The hop shows in the message's trace; its traceparent itself crosses unchanged.
                Object traceparent = amqp.getHeader(CloudEventHeaders.TRACEPARENT);
                trace.childSpan(traceparent == null ? null : traceparent.toString(),
                        "bridge " + amqp.getReceivedExchange() + " to " + route.get().topic());
            } catch (RuntimeException e) {
                kafkaFailure = e.toString();
                refused.increment();
                try (var logContext = logContext(amqp)) {
                    log.warn("Kafka did not take command {} for {}: {}; returning it and the rest of the batch to "
                            + "the queue", amqp.getMessageId(), route.get().topic(), kafkaFailure);
                }
                deliveries.add(new Delivery(message, Outcome.REQUEUE, null));
            }
        }
        long deadline = System.nanoTime() + properties.confirmTimeout().toNanos();
        List<Outcome> outcomes = deliveries.stream().map(delivery -> outcome(delivery, deadline)).toList();
        settle(channel, deliveries, outcomes);
    }

    private Outcome outcome(Delivery delivery, long deadline) {
        if (delivery.sent() == null) {
            return delivery.decided();
        }
        try {
            delivery.sent().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return Outcome.ACK;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return kafkaRefused(delivery, "interrupted");
        } catch (TimeoutException e) {
            return kafkaRefused(delivery, "no acknowledgement within " + properties.confirmTimeout());
        } catch (ExecutionException e) {
            return kafkaRefused(delivery, String.valueOf(e.getCause()));
        }
    }

    private Outcome kafkaRefused(Delivery delivery, String problem) {
        refused.increment();
        MessageProperties amqp = delivery.message().getMessageProperties();
        try (var logContext = logContext(amqp)) {
            log.warn("Kafka did not take command {}: {}; returning it to the queue", amqp.getMessageId(), problem);
        }
        return Outcome.REQUEUE;
    }

    /**
     * The command's tenant, image (its subject) and id as structured log fields; made only around a log
     * statement, so the hot path pays nothing for it.
     */
    private static LogContext logContext(MessageProperties amqp) {
        Object id = amqp.getHeader(CloudEventHeaders.amqp("id"));
        return LogContext.with(string(amqp.getHeader(CloudEventHeaders.amqp(CloudEventHeaders.TENANT))),
                string(amqp.getHeader(CloudEventHeaders.amqp("subject"))),
                id != null ? id.toString() : amqp.getMessageId());
    }

    private static String string(Object header) {
        return header == null ? null : header.toString();
    }

    /** Acks on RabbitMQ what Kafka took; an ack that fails only means those commands come again. */
    private void settle(Channel channel, List<Delivery> deliveries, List<Outcome> outcomes) {
        if (deliveries.isEmpty()) {
            return;
        }
        try {
            if (outcomes.stream().allMatch(outcome -> outcome == Outcome.ACK)) {
                channel.basicAck(tag(deliveries.getLast()), true);
            } else {
                for (int i = 0; i < deliveries.size(); i++) {
                    long tag = tag(deliveries.get(i));
                    switch (outcomes.get(i)) {
                        case ACK -> channel.basicAck(tag, false);
                        case REQUEUE -> channel.basicNack(tag, false, true);
                        case DEAD_LETTER -> channel.basicNack(tag, false, false);
                    }
                }
            }
            long carried = 0;
            for (int i = 0; i < deliveries.size(); i++) {
                if (deliveries.get(i).sent() != null && outcomes.get(i) == Outcome.ACK) {
                    carried++;
                }
            }
            bridged.increment(carried);
        } catch (IOException | RuntimeException e) {
            // Kafka has them; the channel is gone, so RabbitMQ will deliver them again: duplicates, not loss.
            log.warn("Could not acknowledge {} commands (from {}) on RabbitMQ after Kafka took them: {}; "
                            + "RabbitMQ will deliver them again", deliveries.size(),
                    deliveries.getFirst().message().getMessageProperties().getMessageId(), e.toString());
        }
    }

    private static long tag(Delivery delivery) {
        return delivery.message().getMessageProperties().getDeliveryTag();
    }

    private static ProducerRecord<String, byte[]> toKafka(String topic, Message message) {
        MessageProperties amqp = message.getMessageProperties();
        Object subject = amqp.getHeader(CloudEventHeaders.amqp("subject"));
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic,
                subject == null ? null : subject.toString(), message.getBody());
        Headers.amqpToKafka(amqp.getHeaders()).forEach((name, value) ->
                record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
        return record;
    }
}
