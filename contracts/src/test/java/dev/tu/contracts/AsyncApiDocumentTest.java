package dev.tu.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The AsyncAPI document and the Java contract must not drift apart. */
class AsyncApiDocumentTest {

    private final Map<String, Object> document = load();

    @Test
    void everyTopicAndExchangeIsAChannel() {
        List<String> addresses = section("channels").values().stream()
                .map(channel -> (String) ((Map<?, ?>) channel).get("address"))
                .toList();

        assertThat(addresses).containsAll(Topics.ALL);
        assertThat(addresses).contains(Exchanges.EVENTS, Exchanges.COMMANDS, Exchanges.NOTIFICATIONS,
                Exchanges.DEAD_LETTERS);
    }

    @Test
    void payloadPropertiesMatchTheRecords() {
        Map<String, Object> messages = nested(section("components"), "messages");
        Stream.of(ImageUploaded.class, AnalysisRequested.class, ImageAnalyzed.class, ImageAnalysisFailed.class)
                .forEach(type -> {
                    Map<String, Object> payload = nested(nested(messages, type.getSimpleName()), "payload");
                    List<String> fields = Stream.of(type.getRecordComponents()).map(RecordComponent::getName).toList();
                    assertThat(nested(payload, "properties").keySet())
                            .as("AsyncAPI payload of %s", type.getSimpleName())
                            .containsExactlyInAnyOrderElementsOf(fields);
                });
    }

    @Test
    void messageNamesAreTheEventTypes() {
        Map<String, Object> messages = nested(section("components"), "messages");
        assertThat(nested(messages, "ImageUploaded").get("name")).isEqualTo(EventTypes.IMAGE_UPLOADED);
        assertThat(nested(messages, "ImageAnalyzed").get("name")).isEqualTo(EventTypes.IMAGE_ANALYZED);
        assertThat(nested(messages, "ImageAnalysisFailed").get("name")).isEqualTo(EventTypes.IMAGE_ANALYSIS_FAILED);
        assertThat(nested(messages, "AnalysisRequested").get("name")).isEqualTo(EventTypes.ANALYSIS_REQUESTED);
    }

    @Test
    void headerNamesFollowEachBinding() {
        assertThat(CloudEventHeaders.kafka("id")).isEqualTo("ce_id");
        assertThat(CloudEventHeaders.amqp("id")).isEqualTo("cloudEvents_id");
        assertThat(Topics.deadLetter(Topics.IMAGE_UPLOADED)).isEqualTo("tu.image.uploaded.dlt");
    }

    private Map<String, Object> section(String name) {
        return nested(document, name);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> nested(Map<String, Object> map, String key) {
        assertThat(map).containsKey(key);
        return (Map<String, Object>) map.get(key);
    }

    private static Map<String, Object> load() {
        try (InputStream in = AsyncApiDocumentTest.class.getResourceAsStream("/asyncapi/tu.asyncapi.yaml")) {
            return new Yaml().load(in);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
