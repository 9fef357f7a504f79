package dev.tu.ingestion.outbox;

import dev.tu.contracts.CloudEventHeaders;
import dev.tu.contracts.Topics;
import dev.tu.service.tracing.TraceContext;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.modulith.events.EventExternalizationConfiguration;
import org.springframework.modulith.events.RoutingTarget;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OutboxProperties.class)
class OutboxConfiguration {

    /**
     * Each {@link OutboundEvent} goes to the topic named by its type, keyed by its subject. It is mapped
     * to a {@link Message} so its CloudEvents headers travel with it: Modulith applies header functions
     * to the mapped object, and keeps the headers of a mapped Message as they are.
     */
    @Bean
    EventExternalizationConfiguration eventExternalization(OutboxProperties properties, TraceContext trace) {
        return EventExternalizationConfiguration.externalizing()
                .select(event -> event instanceof OutboundEvent)
                .route(OutboundEvent.class, event -> RoutingTarget.forTarget(event.type()).andKey(event.subject()))
                .mapping(OutboundEvent.class, event -> MessageBuilder.withPayload(event.payload())
                        .copyHeaders(cloudEventHeaders(event, properties.source(), trace))
                        .build())
                .build();
    }

    @Bean
    NewTopic imageUploadedTopic(OutboxProperties properties) {
        return TopicBuilder.name(Topics.IMAGE_UPLOADED)
                .partitions(properties.partitions())
                .replicas(properties.replicationFactor())
                .build();
    }

    /**
     * CloudEvents 1.0 binary mode for Kafka: every attribute as a {@code ce_} header, plus the traceparent of
     * an "outbox publish" span under the request that stored the event, so the trace goes on from there.
     */
    static Map<String, Object> cloudEventHeaders(OutboundEvent event, String source, TraceContext trace) {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put(CloudEventHeaders.kafka("specversion"), "1.0");
        headers.put(CloudEventHeaders.kafka("id"), event.id().toString());
        headers.put(CloudEventHeaders.kafka("source"), source);
        headers.put(CloudEventHeaders.kafka("type"), event.type());
        headers.put(CloudEventHeaders.kafka("subject"), event.subject());
        headers.put(CloudEventHeaders.kafka("time"), event.time().toString());
        headers.put(CloudEventHeaders.kafka("datacontenttype"), "application/json");
        headers.put(CloudEventHeaders.kafka(CloudEventHeaders.TENANT), event.tenant());
        String traceparent = trace.producerSpan(event.traceparent(), "outbox publish " + event.type());
        if (traceparent != null) {
            headers.put(CloudEventHeaders.TRACEPARENT, traceparent);
        }
        return headers;
    }
}
