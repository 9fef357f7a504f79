package dev.tu.bridge.routing;

import dev.tu.contracts.CloudEventHeaders;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.header.Header;

/**
 * CloudEvents headers between the bindings: {@code ce_x} on Kafka is {@code cloudEvents_x} on AMQP,
 * values unchanged; {@code traceparent} crosses as is. {@link #BRIDGED_FROM} marks a bridged message
 * so it is never carried back.
 */
public final class Headers {

    /** Set on every bridged message: the broker it came from ({@code kafka} or {@code rabbitmq}). */
    public static final String BRIDGED_FROM = "tu-bridged-from";

    private Headers() {
    }

    /** AMQP headers for a Kafka record's headers. */
    public static Map<String, Object> kafkaToAmqp(Iterable<Header> kafkaHeaders) {
        Map<String, Object> amqp = new LinkedHashMap<>();
        for (Header header : kafkaHeaders) {
            String attribute = CloudEventHeaders.fromKafka(header.key());
            String value = new String(header.value(), StandardCharsets.UTF_8);
            if (attribute != null) {
                amqp.put(CloudEventHeaders.amqp(attribute), value);
            } else if (header.key().equals(CloudEventHeaders.TRACEPARENT) || header.key().equals("tracestate")) {
                amqp.put(header.key(), value);
            }
        }
        amqp.put(BRIDGED_FROM, "kafka");
        return amqp;
    }

    /** Kafka headers (as UTF-8 values) for an AMQP message's headers. */
    public static Map<String, String> amqpToKafka(Map<String, Object> amqpHeaders) {
        Map<String, String> kafka = new LinkedHashMap<>();
        amqpHeaders.forEach((name, value) -> {
            String attribute = CloudEventHeaders.fromAmqp(name);
            if (attribute != null) {
                kafka.put(CloudEventHeaders.kafka(attribute), String.valueOf(value));
            } else if (name.equals(CloudEventHeaders.TRACEPARENT) || name.equals("tracestate")) {
                kafka.put(name, String.valueOf(value));
            }
        });
        kafka.put(BRIDGED_FROM, "rabbitmq");
        return kafka;
    }

    /** Whether a Kafka record was itself bridged from RabbitMQ. */
    public static boolean bridgedFromRabbit(Iterable<Header> kafkaHeaders) {
        for (Header header : kafkaHeaders) {
            if (header.key().equals(BRIDGED_FROM)) {
                return "rabbitmq".equals(new String(header.value(), StandardCharsets.UTF_8));
            }
        }
        return false;
    }
}
