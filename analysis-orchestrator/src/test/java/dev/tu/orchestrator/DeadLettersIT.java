package dev.tu.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tu.contracts.EventTypes;
import dev.tu.contracts.Exchanges;
import dev.tu.contracts.Topics;
import dev.tu.testsupport.KafkaProbe;
import dev.tu.testsupport.Keycloak;
import dev.tu.testsupport.SuiteLayout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatusCode;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Dead letters against the real brokers and database: a poison record in a Kafka dead-letter topic and an
 * unreadable event dead-lettered by RabbitMQ are each captured once with cause and trace id, listed for
 * administrators only, and replayed to where they came from — once, unless asked again.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "management.server.port=0")
class DeadLettersIT {

    private static final Map<String, String> infra = SuiteLayout.locate().infrastructure();
    private static final JsonMapper json = JsonMapper.builder().build();

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> "jdbc:postgresql://" + infra.get("TU_POSTGRES_HOST") + ":"
                + infra.get("TU_POSTGRES_PORT") + "/tu_orchestrator_test");
        registry.add("spring.rabbitmq.host", () -> infra.get("TU_RABBITMQ_HOST"));
        registry.add("spring.rabbitmq.port", () -> infra.get("TU_RABBITMQ_PORT"));
        registry.add("spring.kafka.bootstrap-servers", () -> infra.get("TU_KAFKA_BOOTSTRAP"));
        registry.add("spring.kafka.consumer.group-id", () -> "orchestrator-dead-letters-it-" + UUID.randomUUID());
        registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", () -> infra.get("TU_ISSUER_URI"));
    }

    @Autowired
    RabbitTemplate rabbit;

    @Autowired
    KafkaListenerEndpointRegistry listeners;

    @LocalServerPort
    int port;

    @Test
    void aPoisonRecordIsCapturedListedAndReplayedOnce() throws Exception {
        String image = UUID.randomUUID().toString();
        String traceId = UUID.randomUUID().toString().replace("-", "");
        byte[] payload = ("{\"imageId\":\"" + image + "\",\"tenant\":\"acme\",\"objectKey\":\"originals/acme/" + image
                + "\"}").getBytes(StandardCharsets.UTF_8);
        // As the adapter's DeadLetterPublishingRecoverer writes it: the original headers plus its own.
        ProducerRecord<String, byte[]> poison = new ProducerRecord<>(Topics.deadLetter(Topics.IMAGE_UPLOADED), image,
                payload);
        poison.headers().add("ce_id", bytes("evt-" + image)).add("ce_type", bytes(EventTypes.IMAGE_UPLOADED))
                .add("ce_tenant", bytes("acme")).add("traceparent", bytes("00-" + traceId + "-00f067aa0ba902b7-01"))
                .add(KafkaHeaders.DLT_ORIGINAL_TOPIC, bytes(Topics.IMAGE_UPLOADED))
                .add(KafkaHeaders.DLT_EXCEPTION_MESSAGE, bytes("Listener method threw exception"))
                .add(Topics.DEAD_LETTER_REASON, bytes("UNREADABLE_IMAGE: not an image"));
        // Sent once the capture has its partitions: it reads from the earliest offset, but a consumer that
        // joins while the topic is still being created sees it only at its next metadata refresh.
        dev.tu.testsupport.KafkaTopics.ensure(infra.get("TU_KAFKA_BOOTSTRAP"), Topics.IMAGE_UPLOADED);
        await("the dead-letter capture is assigned its partitions").atMost(Duration.ofSeconds(60))
                .until(() -> listeners.getListenerContainer("kafka-dead-letters").getAssignedPartitions().stream()
                        .anyMatch(partition -> partition.topic().equals(Topics.deadLetter(Topics.IMAGE_UPLOADED))));
        // A plain producer: an observed template would put a traceparent of its own on the record.
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers",
                infra.get("TU_KAFKA_BOOTSTRAP")), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(poison).get();
        }

        JsonNode entry = awaitEntry("evt-" + image);
        assertThat(entry.path("source").asString()).isEqualTo("kafka:" + Topics.deadLetter(Topics.IMAGE_UPLOADED));
        assertThat(entry.path("origin").asString()).isEqualTo("kafka:" + Topics.IMAGE_UPLOADED);
        assertThat(entry.path("cause").asString()).isEqualTo("UNREADABLE_IMAGE: not an image");
        assertThat(entry.path("traceId").asString()).isEqualTo(traceId);
        assertThat(entry.path("tenant").asString()).isEqualTo("acme");
        assertThat(entry.path("key").asString()).isEqualTo(image);
        String id = entry.path("id").asString();

        assertThat(call("alice", "GET", "/api/v1/admin/dead-letters").getStatusCode().value())
                .as("an ordinary user does not see dead letters").isEqualTo(403);

        try (KafkaProbe uploaded = KafkaProbe.watch(infra.get("TU_KAFKA_BOOTSTRAP"), Topics.IMAGE_UPLOADED)) {
            assertThat(call("admin", "POST", "/api/v1/admin/dead-letters/" + id + "/replay").getStatusCode().value())
                    .isEqualTo(200);
            var replayed = uploaded.awaitKey(image, Duration.ofSeconds(20)).getFirst();
            assertThat(replayed.value()).isEqualTo(new String(payload, StandardCharsets.UTF_8));
            Map<String, String> headers = KafkaProbe.headers(replayed);
            assertThat(headers).containsEntry("ce_id", "evt-" + image).containsEntry("tu_replay_of", id + "#1")
                    .doesNotContainKey(KafkaHeaders.DLT_EXCEPTION_MESSAGE);

            var again = call("admin", "POST", "/api/v1/admin/dead-letters/" + id + "/replay");
            assertThat(again.getStatusCode().value()).isEqualTo(409);
            assertThat(again.getBody()).contains("ALREADY_REPLAYED");
            assertThat(call("admin", "POST", "/api/v1/admin/dead-letters/" + id + "/replay?again=true")
                    .getBody()).contains("\"replays\":2");
            await("the explicit second replay").atMost(Duration.ofSeconds(20))
                    .until(() -> uploaded.withKey(image).size() == 2);
        }
        assertThat(call("admin", "GET", "/api/v1/admin/dead-letters/" + UUID.randomUUID()).getStatusCode().value())
                .isEqualTo(404);
    }

    @Test
    void anUnreadableEventDeadLetteredByRabbitMqIsCapturedAndReplayedToItsExchange() {
        String eventId = "unreadable-" + UUID.randomUUID();
        MessageProperties properties = new MessageProperties();
        properties.setMessageId(eventId);
        properties.setHeader("cloudEvents_id", eventId);
        properties.setHeader("cloudEvents_type", EventTypes.IMAGE_UPLOADED);
        properties.setHeader("cloudEvents_tenant", "acme");
        rabbit.send(Exchanges.EVENTS, EventTypes.IMAGE_UPLOADED,
                new Message("not json".getBytes(StandardCharsets.UTF_8), properties));

        JsonNode entry = awaitEntry(eventId);
        assertThat(entry.path("source").asString())
                .isEqualTo("rabbit:" + Exchanges.deadLetterQueue(Exchanges.ORCHESTRATOR_EVENTS_QUEUE));
        assertThat(entry.path("origin").asString()).isEqualTo("rabbit:" + Exchanges.EVENTS + "/" + EventTypes.IMAGE_UPLOADED);
        assertThat(entry.path("cause").asString()).startsWith("rejected in " + Exchanges.ORCHESTRATOR_EVENTS_QUEUE);

        assertThat(call("admin", "POST", "/api/v1/admin/dead-letters/" + entry.path("id").asString() + "/replay")
                .getStatusCode().value()).isEqualTo(200);
        // Still unreadable: the replay reached the orchestrator's queue and was dead-lettered a second time.
        await("dead-lettered again after the replay").atMost(Duration.ofSeconds(20))
                .until(() -> entries(eventId).size() == 2);
    }

    @Test
    void aLimitOutOfRangeIsABadRequest() {
        var response = call("admin", "GET", "/api/v1/admin/dead-letters?limit=1001");
        assertThat(response.getStatusCode().value()).isEqualTo(400);
        assertThat(response.getHeaders().getContentType()).hasToString("application/problem+json");
    }

    private JsonNode awaitEntry(String eventId) {
        await("dead letter " + eventId + " captured").atMost(Duration.ofSeconds(60))
                .until(() -> !entries(eventId).isEmpty());
        return entries(eventId).getFirst();
    }

    private java.util.List<JsonNode> entries(String eventId) {
        String body = call("admin", "GET", "/api/v1/admin/dead-letters?limit=1000").getBody();
        return json.readTree(body).valueStream().filter(node -> node.path("eventId").asString().equals(eventId))
                .toList();
    }

    private org.springframework.http.ResponseEntity<String> call(String user, String method, String path) {
        return RestClient.create("http://127.0.0.1:" + port).method(org.springframework.http.HttpMethod.valueOf(method))
                .uri(path).header("Authorization", "Bearer " + Keycloak.local().accessToken(user))
                .retrieve().onStatus(HttpStatusCode::isError, (request, response) -> { })
                .toEntity(String.class);
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
