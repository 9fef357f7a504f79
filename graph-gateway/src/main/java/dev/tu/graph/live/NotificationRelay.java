package dev.tu.graph.live;

import dev.tu.contracts.CloudEventHeaders;
import dev.tu.contracts.Exchanges;
import dev.tu.service.logging.LogContext;
import dev.tu.service.tracing.TraceContext;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.AnonymousQueue;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.json.JsonMapper;

/**
 * This replica's view of {@code tu.notifications}. The queue is exclusive and auto-delete: it lives
 * as long as the replica's connection, and every replica gets every change (fan-out), so a subscriber
 * connected to any replica sees all of its tenant's updates.
 */
@Component
public class NotificationRelay {

    private static final Logger log = LoggerFactory.getLogger(NotificationRelay.class);

    private final Sinks.Many<AnalysisUpdate> updates = Sinks.many().multicast().directBestEffort();
    private final JsonMapper json = JsonMapper.builder().build();
    private final TraceContext trace;

    NotificationRelay(TraceContext trace) {
        this.trace = trace;
    }

    /** Every update this replica receives, from now on. */
    public Flux<AnalysisUpdate> updates() {
        return updates.asFlux();
    }

    @RabbitListener(id = "notifications", queues = "#{replicaNotificationsQueue.name}")
    void onNotification(Message message) {
        MessageProperties amqp = message.getMessageProperties();
        String eventId = amqp.getMessageId();
        // From the CloudEvents headers first, so that even an unreadable body is logged with them.
        try (var context = LogContext.with(header(amqp, CloudEventHeaders.TENANT), header(amqp, "subject"), eventId)) {
            AnalysisUpdate update;
            try {
                update = json.readValue(new String(message.getBody(), StandardCharsets.UTF_8), AnalysisUpdate.class);
            } catch (RuntimeException e) {
                log.warn("Ignoring an unreadable notification: {}", e.toString());
                return;
            }
            try (var body = LogContext.with(update.tenant(), update.imageId(), null)) {
                log.debug("Relaying {} to {} subscriptions", update.status(), updates.currentSubscriberCount());
                // The listener's span: each subscriber's push is recorded under it (LiveGraph).
                updates.tryEmitNext(update.received(trace.traceparent().orElse(null), eventId));
            }
        }
    }

    private static String header(MessageProperties amqp, String attribute) {
        Object value = amqp.getHeaders().get(CloudEventHeaders.amqp(attribute));
        return value == null ? null : value.toString();
    }

    @Configuration(proxyBeanMethods = false)
    static class Topology {

        @Bean
        Queue replicaNotificationsQueue() {
            return new AnonymousQueue(new org.springframework.amqp.core.Base64UrlNamingStrategy("tu.graph-gateway.notifications."));
        }

        @Bean
        TopicExchange notificationsExchange() {
            return new TopicExchange(Exchanges.NOTIFICATIONS, true, false);
        }

        @Bean
        Binding replicaNotificationsBinding(Queue replicaNotificationsQueue, TopicExchange notificationsExchange) {
            return BindingBuilder.bind(replicaNotificationsQueue).to(notificationsExchange).with("#");
        }
    }
}
