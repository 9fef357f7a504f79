package dev.tu.bridge.rabbittokafka;

import com.rabbitmq.client.Channel;
import dev.tu.bridge.routing.BridgeProperties;
import dev.tu.bridge.routing.BridgeProperties.Route;
import dev.tu.bridge.routing.Headers;
import dev.tu.bridge.routing.RouteTable;
import dev.tu.contracts.CloudEventHeaders;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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
    private final RouteTable routes;
    private final BridgeProperties properties;
    private final Counter bridged;
    private final Counter refused;
    private final Counter dropped;

    RabbitToKafkaBridge(KafkaTemplate<String, byte[]> kafka, RouteTable routes, BridgeProperties properties,
            MeterRegistry meters) {
        this.kafka = kafka;
        this.routes = routes;
        this.properties = properties;
        this.bridged = meters.counter("tu.bridge.messages", "direction", "rabbit-to-kafka", "outcome", "acknowledged");
        this.refused = meters.counter("tu.bridge.messages", "direction", "rabbit-to-kafka", "outcome", "refused");
        this.dropped = meters.counter("tu.bridge.messages", "direction", "rabbit-to-kafka", "outcome", "loop");
    }

    @RabbitListener(id = "rabbit-to-kafka", queues = "${tu.bridge.commands-queue:tu.bridge.commands}", ackMode = "MANUAL")
    void bridge(Message message, Channel channel) throws IOException {
        MessageProperties amqp = message.getMessageProperties();
        long tag = amqp.getDeliveryTag();
        if ("kafka".equals(amqp.getHeader(Headers.BRIDGED_FROM))) {
            // Came from Kafka through this bridge: carrying it back would loop.
            dropped.increment();
            channel.basicAck(tag, false);
            return;
        }
        Optional<Route> route = routes.toKafka(amqp.getReceivedRoutingKey());
        if (route.isEmpty()) {
            log.error("No route for routing key {} (message {}); dead-lettering it", amqp.getReceivedRoutingKey(),
                    amqp.getMessageId());
            channel.basicNack(tag, false, false);
            return;
        }
        try {
            kafka.send(toKafka(route.get().topic(), message)).get(properties.confirmTimeout().toMillis(),
                    TimeUnit.MILLISECONDS);
            channel.basicAck(tag, false);
            bridged.increment();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            refused.increment();
            log.warn("Kafka did not take command {} for {}: {}; returning it to the queue", amqp.getMessageId(),
                    route.get().topic(), e.toString());
            channel.basicNack(tag, false, true);
        }
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
