package dev.tu.vision.kafka;

import dev.tu.contracts.CloudEventHeaders;
import dev.tu.contracts.Topics;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What to analyse, read from {@code tu.image.uploaded} (attempt 1) or {@code tu.analysis.requested}.
 *
 * @param imageId   the image
 * @param tenant    its tenant
 * @param objectKey where the original is
 * @param attempt   which attempt this is
 */
record Job(UUID imageId, String tenant, String objectKey, int attempt) {

    private static final JsonMapper json = JsonMapper.builder().build();

    static Job from(ConsumerRecord<String, byte[]> record) {
        try {
            JsonNode payload = json.readTree(new String(record.value(), StandardCharsets.UTF_8));
            UUID imageId = UUID.fromString(payload.get("imageId").asString());
            String tenant = payload.hasNonNull("tenant") ? payload.get("tenant").asString() : header(record);
            String objectKey = payload.get("objectKey").asString();
            int attempt = record.topic().equals(Topics.ANALYSIS_REQUESTED) && payload.hasNonNull("attempt")
                    ? payload.get("attempt").asInt() : 1;
            if (tenant == null || objectKey == null || objectKey.isBlank()) {
                throw new IllegalArgumentException("no tenant or object key");
            }
            return new Job(imageId, tenant, objectKey, attempt);
        } catch (RuntimeException e) {
            throw new PoisonMessageException("MALFORMED_EVENT", "Cannot read the event at " + record.topic() + "-"
                    + record.partition() + "@" + record.offset() + ": " + e.getMessage(), e);
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record) {
        Header header = record.headers().lastHeader(CloudEventHeaders.kafka(CloudEventHeaders.TENANT));
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
