package dev.tu.vision.kafka;

import dev.tu.contracts.CloudEventHeaders;
import dev.tu.contracts.EventTypes;
import dev.tu.contracts.ImageAnalysisFailed;
import dev.tu.contracts.ImageAnalyzed;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Sends results and waits for Kafka's acknowledgement, so the consumed offset is committed only after. */
@Component
class ResultPublisher {

    private final KafkaTemplate<String, byte[]> kafka;
    private final AdapterProperties properties;
    private final JsonMapper json = JsonMapper.builder().build();

    ResultPublisher(KafkaTemplate<String, byte[]> kafka, AdapterProperties properties) {
        this.kafka = kafka;
        this.properties = properties;
    }

    void analyzed(ImageAnalyzed result) {
        send(EventTypes.IMAGE_ANALYZED, result.imageId(), result.tenant(), result.attempt(), result.analyzedAt(), result);
    }

    void failed(ImageAnalysisFailed failure) {
        send(EventTypes.IMAGE_ANALYSIS_FAILED, failure.imageId(), failure.tenant(), failure.attempt(),
                failure.failedAt(), failure);
    }

    private void send(String type, UUID imageId, String tenant, int attempt, Instant time, Object payload) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(type, imageId.toString(),
                json.writeValueAsBytes(payload));
        // One result per image and attempt: a re-analysis after a crash repeats the id, and consumers drop it.
        String id = UUID.nameUUIDFromBytes((type + ":" + imageId + ":" + attempt).getBytes(StandardCharsets.UTF_8))
                .toString();
        Map.of("specversion", "1.0", "id", id, "type", type, "source", properties.source(),
                        "subject", imageId.toString(), "time", time.toString(), "datacontenttype", "application/json",
                        CloudEventHeaders.TENANT, tenant)
                .forEach((attribute, value) -> record.headers().add(CloudEventHeaders.kafka(attribute),
                        value.getBytes(StandardCharsets.UTF_8)));
        try {
            kafka.send(record).get(properties.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted sending " + type, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka did not acknowledge " + type + " for " + imageId, e);
        }
    }
}
