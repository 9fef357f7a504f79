package dev.tu.orchestrator.messaging;

import dev.tu.contracts.AnalysisRequested;
import dev.tu.contracts.CloudEventHeaders;
import dev.tu.contracts.EventTypes;
import dev.tu.contracts.Exchanges;
import dev.tu.orchestrator.workflow.Analysis;
import dev.tu.orchestrator.workflow.WorkflowOutbound;
import dev.tu.service.tracing.TraceContext;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

@Component
class RabbitOutbound implements WorkflowOutbound {

    private static final Logger log = LoggerFactory.getLogger(RabbitOutbound.class);

    private final RabbitTemplate rabbit;
    private final MessagingProperties properties;
    private final TraceContext trace;
    private final JsonMapper json = JsonMapper.builder().build();

    RabbitOutbound(RabbitTemplate rabbit, MessagingProperties properties, TraceContext trace) {
        this.rabbit = rabbit;
        this.properties = properties;
        this.trace = trace;
    }

    /** A status change as live clients receive it. */
    record StatusChanged(UUID imageId, String tenant, String status, int attempts, Instant updatedAt,
            String failureCode) {
    }

    @Override
    public void requestAnalysis(Analysis analysis, String objectKey, String reason) {
        AnalysisRequested command = new AnalysisRequested(analysis.imageId(), analysis.tenant(), objectKey,
                analysis.attempts(), reason);
        // One command per attempt: the id is stable for that attempt, so a re-sent one is a duplicate.
        String id = "analysis-requested:" + analysis.imageId() + ":" + analysis.attempts();
        Message message = cloudEvent(json.writeValueAsBytes(command), id, EventTypes.ANALYSIS_REQUESTED, analysis);
        CorrelationData correlation = new CorrelationData(id);
        rabbit.send(Exchanges.COMMANDS, EventTypes.ANALYSIS_REQUESTED, message, correlation);
        try {
            CorrelationData.Confirm confirm = correlation.getFuture()
                    .get(properties.confirmTimeout().toMillis(), TimeUnit.MILLISECONDS);
            if (!confirm.ack()) {
                throw new IllegalStateException("RabbitMQ refused command " + id + ": " + confirm.reason());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted waiting for the confirm of " + id, e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("No confirm for command " + id, e);
        }
    }

    @Override
    public void statusChanged(Analysis analysis) {
        StatusChanged change = new StatusChanged(analysis.imageId(), analysis.tenant(), analysis.status().name(),
                analysis.attempts(), analysis.updatedAt(), analysis.failureCode());
        String id = "status:" + analysis.imageId() + ":" + analysis.status() + ":" + analysis.updatedAt();
        try {
            rabbit.send(Exchanges.NOTIFICATIONS, analysis.tenant() + "." + analysis.imageId(),
                    cloudEvent(json.writeValueAsBytes(change), id, "tu.analysis.status-changed", analysis));
        } catch (RuntimeException e) {
            // Live updates are a convenience: the state is committed and readable through the API.
            log.warn("Could not announce {} of {}: {}", analysis.status(), analysis.imageId(), e.toString());
        }
    }

    private Message cloudEvent(byte[] body, String id, String type, Analysis analysis) {
        MessageProperties amqp = new MessageProperties();
        amqp.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
        amqp.setContentType("application/json");
        amqp.setMessageId(id);
        amqp.setType(type);
        Map.of("specversion", "1.0", "id", id, "type", type, "source", properties.source(),
                        "subject", analysis.imageId().toString(), "time", Instant.now().toString(),
                        "datacontenttype", "application/json", CloudEventHeaders.TENANT, analysis.tenant())
                .forEach((attribute, value) -> amqp.setHeader(CloudEventHeaders.amqp(attribute), value));
        trace.traceparent().ifPresent(traceparent -> amqp.setHeader(CloudEventHeaders.TRACEPARENT, traceparent));
        return new Message(body, amqp);
    }
}
