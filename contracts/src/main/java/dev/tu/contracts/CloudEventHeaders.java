package dev.tu.contracts;

import java.util.List;

/**
 * CloudEvents 1.0 attributes in binary mode. Kafka's protocol binding prefixes each attribute with
 * {@code ce_}; the AMQP binding prefers {@code cloudEvents_} (RabbitMQ carries them as message
 * headers). The bridge maps names and keeps values. {@code traceparent} and the tenant travel too.
 */
public final class CloudEventHeaders {

    /** Attributes every event carries, in their CloudEvents names. */
    public static final List<String> ATTRIBUTES =
            List.of("id", "source", "type", "subject", "time", "datacontenttype", "specversion", "tenant");

    /** Extension attribute naming the tenant that owns the subject. */
    public static final String TENANT = "tenant";
    /** W3C trace context header, carried unchanged across both brokers. */
    public static final String TRACEPARENT = "traceparent";

    private static final String KAFKA_PREFIX = "ce_";
    private static final String AMQP_PREFIX = "cloudEvents_";
    /** Accepted on input: the AMQP binding's earlier prefix. */
    private static final String LEGACY_AMQP_PREFIX = "cloudEvents:";

    private CloudEventHeaders() {
    }

    /** The Kafka header name for a CloudEvents attribute. */
    public static String kafka(String attribute) {
        return KAFKA_PREFIX + attribute;
    }

    /** The AMQP application-property name for a CloudEvents attribute. */
    public static String amqp(String attribute) {
        return AMQP_PREFIX + attribute;
    }

    /** The attribute a Kafka header carries, or null when it is no CloudEvents header. */
    public static String fromKafka(String header) {
        return header.startsWith(KAFKA_PREFIX) ? header.substring(KAFKA_PREFIX.length()) : null;
    }

    /** The attribute an AMQP header carries (either prefix the binding allows), or null. */
    public static String fromAmqp(String header) {
        if (header.startsWith(AMQP_PREFIX)) {
            return header.substring(AMQP_PREFIX.length());
        }
        return header.startsWith(LEGACY_AMQP_PREFIX) ? header.substring(LEGACY_AMQP_PREFIX.length()) : null;
    }
}
