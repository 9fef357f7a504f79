package dev.tu.orchestrator.messaging;

import dev.tu.contracts.AnalysisRequested;
import dev.tu.contracts.CloudEventHeaders;
import dev.tu.contracts.EventTypes;
import dev.tu.contracts.Exchanges;
import dev.tu.orchestrator.workflow.Analysis;
import dev.tu.orchestrator.workflow.StatusChanged;
import dev.tu.orchestrator.workflow.WorkflowOutbound;
import dev.tu.service.tracing.TraceContext;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

@Component
class RabbitOutbound implements WorkflowOutbound {

    private final RabbitTemplate rabbit;
    private final MessagingProperties properties;
    private final TraceContext trace;
    private final JsonMapper json = JsonMapper.builder().build();

    RabbitOutbound(RabbitTemplate rabbit, MessagingProperties properties, TraceContext trace) {
        this.rabbit = rabbit;
        this.properties = properties;
        this.trace = trace;
    }

    /** A status change as live clients receive it (the body of {@code tu.analysis.status-changed}). */
    record Notification(UUID imageId, String tenant, String status, int attempts, Instant updatedAt,
            String failureCode) {
    }

    @Override
    public void requestAnalysis(Analysis analysis, String objectKey, String reason) {
        AnalysisRequested command = new AnalysisRequested(analysis.imageId(), analysis.tenant(), objectKey,
                analysis.attempts(), reason);
        // One command per attempt: the id is stable for that attempt, so a re-sent one is a duplicate.
        String id = "analysis-requested:" + analysis.imageId() + ":" + analysis.attempts();
        sendConfirmed(Exchanges.COMMANDS, EventTypes.ANALYSIS_REQUESTED, cloudEvent(json.writeValueAsBytes(command), id,
                EventTypes.ANALYSIS_REQUESTED, analysis.imageId(), analysis.tenant()));
    }

    @Override
    public void statusChanged(StatusChanged change) {
        Notification notification = new Notification(change.imageId(), change.tenant(), change.status(),
                change.attempts(), change.updatedAt(), change.failureCode());
        sendConfirmed(Exchanges.NOTIFICATIONS, change.tenant() + "." + change.imageId(), cloudEvent(
                json.writeValueAsBytes(notification), change.id(), "tu.analysis.status-changed", change.imageId(),
                change.tenant()));
    }

    /** Sends and waits for RabbitMQ's confirm; throws when it refused or did not answer in time. */
    private void sendConfirmed(String exchange, String routingKey, Message message) {
        String id = message.getMessageProperties().getMessageId();
        CorrelationData correlation = new CorrelationData(id);
        rabbit.send(exchange, routingKey, message, correlation);
        try {
            CorrelationData.Confirm confirm = correlation.getFuture()
                    .get(properties.confirmTimeout().toMillis(), TimeUnit.MILLISECONDS);
            if (!confirm.ack()) {
                throw new IllegalStateException("RabbitMQ refused " + id + ": " + confirm.reason());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted waiting for the confirm of " + id, e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("No confirm for " + id, e);
        }
    }

    private Message cloudEvent(byte[] body, String id, String type, UUID subject, String tenant) {
        MessageProperties amqp = new MessageProperties();
        amqp.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
        amqp.setContentType("application/json");
        amqp.setMessageId(id);
        amqp.setType(type);
        Map.of("specversion", "1.0", "id", id, "type", type, "source", properties.source(),
                        "subject", subject.toString(), "time", Instant.now().toString(),
                        "datacontenttype", "application/json", CloudEventHeaders.TENANT, tenant)
                .forEach((attribute, value) -> amqp.setHeader(CloudEventHeaders.amqp(attribute), value));
        trace.traceparent().ifPresent(traceparent -> amqp.setHeader(CloudEventHeaders.TRACEPARENT, traceparent));
        return new Message(body, amqp);
    }
}
