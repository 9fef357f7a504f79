package dev.tu.bridge.kafkatorabbit;

import dev.tu.bridge.routing.BridgeProperties;
import dev.tu.bridge.routing.BridgeProperties.Route;
import dev.tu.bridge.routing.Headers;
import dev.tu.bridge.routing.RouteTable;
import dev.tu.contracts.CloudEventHeaders;
import dev.tu.service.logging.LogContext;
import dev.tu.service.tracing.TraceContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitOperations;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.stereotype.Component;

@Component
class KafkaToRabbitBridge {

    private static final Logger log = LoggerFactory.getLogger(KafkaToRabbitBridge.class);

    private final RabbitTemplate rabbit;
    private final RouteTable routes;
    private final BridgeProperties properties;
    private final MeterRegistry meters;
    private final TraceContext trace;
    private final Counter bridged;
    private final Counter refused;
    private final Counter skippedLoops;

    KafkaToRabbitBridge(RabbitTemplate rabbit, RouteTable routes, BridgeProperties properties, MeterRegistry meters,
            TraceContext trace) {
        this.trace = trace;
        this.rabbit = rabbit;
        this.routes = routes;
        this.properties = properties;
        this.meters = meters;
        this.bridged = meters.counter("tu.bridge.messages", "direction", "kafka-to-rabbit", "outcome", "confirmed");
        this.refused = meters.counter("tu.bridge.messages", "direction", "kafka-to-rabbit", "outcome", "refused");
        this.skippedLoops = meters.counter("tu.bridge.messages", "direction", "kafka-to-rabbit", "outcome", "loop");
    }

    private record InFlight(int index, Route route, CorrelationData correlation) {
    }

    /** The first record of a batch RabbitMQ did not take, and why ({@code reason} is a metric tag). */
    private record Refusal(int index, Route route, String reason, String detail) {
    }

    /**
     * Publishes the whole batch on one channel, then waits for every confirm; only then is the batch
     * acknowledged (its offsets committed). The first record RabbitMQ did not take — unroutable,
     * nacked, not confirmed in time, or the publish itself failed — fails the batch from its index:
     * the records before it are committed, it and everything after it are not, and the error handler
     * redelivers them after a back-off, for as long as it takes. That is also the back-pressure: while
     * RabbitMQ refuses (a queue at its limit, a blocked connection) the consumer does not move on.
     * Several consumers ({@code tu.bridge.consumers}, each with its partitions and its own channel)
     * keep batches in flight while one of them waits for its confirms (ADR 0006).
     */
    @KafkaListener(id = "kafka-to-rabbit", idIsGroup = false, topics = "#{@routeTable.kafkaTopics()}",
            batch = "true", concurrency = "${tu.bridge.consumers:3}")
    void bridge(List<ConsumerRecord<String, byte[]>> records, Acknowledgment acknowledgment) {
        Refusal refusal;
        try {
            // One channel for the whole batch: with correlated confirms a channel that has unconfirmed
            // messages is not handed out again, so send() outside invoke() would take a channel per message.
            refusal = rabbit.invoke(operations -> publishAndAwaitConfirms(operations, records));
        } catch (AmqpException e) {
            refusal = new Refusal(0, routes.toRabbit(records.getFirst().topic()).orElseThrow(), "publish-failed",
                    e.toString());
        }
        if (refusal != null) {
            ConsumerRecord<String, byte[]> record = records.get(refusal.index());
            refused.increment();
            meters.counter("tu.bridge.refused", "route", refusal.route().topic() + "->" + refusal.route().exchange(),
                    "reason", refusal.reason()).increment();
            // The event's keys as structured fields (its subject is the image id), set only around the log
            // statement: the hot path pays nothing for them.
            try (var logContext = LogContext.with(header(record, CloudEventHeaders.kafka(CloudEventHeaders.TENANT),
                    null), header(record, CloudEventHeaders.kafka("subject"), null), eventId(record))) {
                log.warn("RabbitMQ did not take event {} ({}-{}@{} to {} with key {}): {}: {}; not committed, "
                                + "publishing it and the {} after it again after a back-off",
                        eventId(record), record.topic(), record.partition(), record.offset(),
                        refusal.route().exchange(), refusal.route().effectiveRoutingKey(), refusal.reason(),
                        refusal.detail(), records.size() - refusal.index() - 1);
            }
            throw new BatchListenerFailedException(refusal.reason() + " " + eventId(record), refusal.index());
        }
        acknowledgment.acknowledge();
    }

    private Refusal publishAndAwaitConfirms(RabbitOperations operations, List<ConsumerRecord<String, byte[]>> records) {
        List<InFlight> inFlight = new ArrayList<>(records.size());
        Refusal sendFailure = null;
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<String, byte[]> record = records.get(i);
            if (Headers.bridgedFromRabbit(record.headers())) {
                skippedLoops.increment();
                continue;
            }
            Route route = routes.toRabbit(record.topic()).orElseThrow();
            CorrelationData correlation = new CorrelationData(eventId(record));
            try {
                operations.send(route.exchange(), route.effectiveRoutingKey(), toAmqp(record), correlation);
                // The hop shows in the message's trace; its traceparent itself crosses unchanged.
                trace.childSpan(header(record, CloudEventHeaders.TRACEPARENT, null),
                        "bridge " + record.topic() + " to " + route.exchange());
            } catch (AmqpException e) {
                sendFailure = new Refusal(i, route, "publish-failed", e.toString());
                break;
            }
            inFlight.add(new InFlight(i, route, correlation));
        }
        // One deadline for the batch: confirms arrive together, a per-message timeout would add up.
        long deadline = System.nanoTime() + properties.confirmTimeout().toNanos();
        int confirmed = 0;
        try {
            for (InFlight message : inFlight) {
                Refusal problem = awaitConfirm(message, deadline);
                if (problem != null) {
                    return problem;
                }
                confirmed++;
            }
        } finally {
            bridged.increment(confirmed);
        }
        return sendFailure;
    }

    private Refusal awaitConfirm(InFlight message, long deadline) {
        CorrelationData correlation = message.correlation();
        try {
            CorrelationData.Confirm confirm = correlation.getFuture()
                    .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (correlation.getReturned() != null) {
                return new Refusal(message.index(), message.route(), "unroutable",
                        correlation.getReturned().getReplyCode() + " " + correlation.getReturned().getReplyText());
            }
            if (!confirm.ack()) {
                return new Refusal(message.index(), message.route(), "nacked", String.valueOf(confirm.reason()));
            }
            return null;
        } catch (TimeoutException e) {
            return new Refusal(message.index(), message.route(), "no-confirm",
                    "no confirm within " + properties.confirmTimeout());
        } catch (ExecutionException e) {
            return new Refusal(message.index(), message.route(), "publish-failed", String.valueOf(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Refusal(message.index(), message.route(), "no-confirm", "interrupted");
        }
    }

    private static Message toAmqp(ConsumerRecord<String, byte[]> record) {
        MessageProperties properties = new MessageProperties();
        properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
        properties.setContentType(header(record, CloudEventHeaders.kafka("datacontenttype"), "application/json"));
        properties.setMessageId(eventId(record));
        properties.setType(header(record, CloudEventHeaders.kafka("type"), record.topic()));
        properties.getHeaders().putAll(Headers.kafkaToAmqp(record.headers()));
        properties.setHeader("tu-kafka-origin", record.topic() + "-" + record.partition() + "@" + record.offset());
        return new Message(record.value() == null ? new byte[0] : record.value(), properties);
    }

    private static String eventId(ConsumerRecord<String, byte[]> record) {
        return header(record, CloudEventHeaders.kafka("id"), record.topic() + "-" + record.partition() + "@"
                + record.offset());
    }

    private static String header(ConsumerRecord<?, ?> record, String name, String fallback) {
        Header header = record.headers().lastHeader(name);
        return header == null ? fallback : new String(header.value(), StandardCharsets.UTF_8);
    }
}
