package dev.tu.orchestrator.messaging;

import dev.tu.contracts.CloudEventHeaders;
import dev.tu.contracts.EventTypes;
import dev.tu.contracts.Exchanges;
import dev.tu.orchestrator.workflow.IncomingEvent;
import dev.tu.orchestrator.workflow.Workflow;
import dev.tu.service.logging.LogContext;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.springframework.amqp.AmqpRejectAndDontRequeueException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Applies each event from the orchestrator's queue. The message is acked after the workflow's
 * transaction committed; a failure returns it to the queue, and after the delivery limit it is
 * dead-lettered. An event that cannot be read at all is dead-lettered at once.
 */
@Component
class EventsListener {

    private final Workflow workflow;
    private final JsonMapper json = JsonMapper.builder().build();

    EventsListener(Workflow workflow) {
        this.workflow = workflow;
    }

    @RabbitListener(id = "orchestrator-events", queues = Exchanges.ORCHESTRATOR_EVENTS_QUEUE)
    void onEvent(Message message) {
        IncomingEvent event = read(message);
        try (var logContext = LogContext.with(event.tenant(), event.imageId(), event.id())) {
            workflow.apply(event);
        }
    }

    private IncomingEvent read(Message message) {
        MessageProperties properties = message.getMessageProperties();
        String type = header(properties, "type", properties.getReceivedRoutingKey());
        String id = header(properties, "id", properties.getMessageId());
        try {
            JsonNode payload = json.readTree(new String(message.getBody(), StandardCharsets.UTF_8));
            UUID imageId = UUID.fromString(payload.get("imageId").asString());
            String tenant = payload.hasNonNull("tenant") ? payload.get("tenant").asString()
                    : header(properties, CloudEventHeaders.TENANT, null);
            if (id == null || tenant == null) {
                throw new IllegalArgumentException("no event id or tenant");
            }
            return new IncomingEvent(id, type, tenant, imageId, text(payload, "objectKey"),
                    EventTypes.IMAGE_ANALYZED.equals(type) ? payload.toString() : null,
                    text(payload, "code"), text(payload, "detail"));
        } catch (JacksonException | IllegalArgumentException | NullPointerException e) {
            throw new AmqpRejectAndDontRequeueException("Unreadable event " + id + " of type " + type, e);
        }
    }

    private static String header(MessageProperties properties, String attribute, String fallback) {
        Object value = properties.getHeader(CloudEventHeaders.amqp(attribute));
        return value == null ? fallback : value.toString();
    }

    private static String text(JsonNode payload, String field) {
        return payload.hasNonNull(field) ? payload.get(field).asString() : null;
    }
}
