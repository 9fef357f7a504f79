package dev.tu.bridge.kafkatorabbit;

import dev.tu.bridge.routing.BridgeProperties;
import dev.tu.bridge.routing.BridgeProperties.Route;
import dev.tu.bridge.routing.Headers;
import dev.tu.bridge.routing.RouteTable;
import dev.tu.contracts.CloudEventHeaders;
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
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CorrelationData;
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
    private final Counter bridged;
    private final Counter refused;
    private final Counter skippedLoops;

    KafkaToRabbitBridge(RabbitTemplate rabbit, RouteTable routes, BridgeProperties properties, MeterRegistry meters) {
        this.rabbit = rabbit;
        this.routes = routes;
        this.properties = properties;
        this.bridged = meters.counter("tu.bridge.messages", "direction", "kafka-to-rabbit", "outcome", "confirmed");
        this.refused = meters.counter("tu.bridge.messages", "direction", "kafka-to-rabbit", "outcome", "refused");
        this.skippedLoops = meters.counter("tu.bridge.messages", "direction", "kafka-to-rabbit", "outcome", "loop");
    }

    private record InFlight(int index, ConsumerRecord<String, byte[]> record, CorrelationData correlation) {
    }

    /**
     * Publishes the whole batch, then waits for every confirm. The first refused record fails the
     * batch from its index: the records before it are committed, it and the rest are redelivered
     * after the error handler's back-off (which is how the consumer pauses while RabbitMQ refuses).
     */
    @KafkaListener(id = "kafka-to-rabbit", idIsGroup = false, topics = "#{@routeTable.kafkaTopics()}", batch = "true")
    void bridge(List<ConsumerRecord<String, byte[]>> records, Acknowledgment acknowledgment) {
        List<InFlight> inFlight = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<String, byte[]> record = records.get(i);
            if (Headers.bridgedFromRabbit(record.headers())) {
                skippedLoops.increment();
                continue;
            }
            Route route = routes.toRabbit(record.topic()).orElseThrow();
            CorrelationData correlation = new CorrelationData(eventId(record));
            rabbit.send(route.exchange(), route.effectiveRoutingKey(), toAmqp(record), correlation);
            inFlight.add(new InFlight(i, record, correlation));
        }
        for (InFlight message : inFlight) {
            String problem = awaitConfirm(message.correlation());
            if (problem != null) {
                refused.increment();
                log.warn("RabbitMQ did not take event {} from {}-{}@{}: {}; retrying from there",
                        message.correlation().getId(), message.record().topic(), message.record().partition(),
                        message.record().offset(), problem);
                throw new BatchListenerFailedException(problem, message.index());
            }
            bridged.increment();
        }
        acknowledgment.acknowledge();
    }

    private String awaitConfirm(CorrelationData correlation) {
        try {
            CorrelationData.Confirm confirm = correlation.getFuture()
                    .get(properties.confirmTimeout().toMillis(), TimeUnit.MILLISECONDS);
            if (!confirm.ack()) {
                return "nacked (" + confirm.reason() + ")";
            }
            if (correlation.getReturned() != null) {
                return "unroutable (" + correlation.getReturned().getReplyText() + ")";
            }
            return null;
        } catch (TimeoutException e) {
            return "no confirm within " + properties.confirmTimeout();
        } catch (ExecutionException e) {
            return "publish failed: " + e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
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
