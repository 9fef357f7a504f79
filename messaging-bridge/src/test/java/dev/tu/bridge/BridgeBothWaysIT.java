package dev.tu.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tu.contracts.Exchanges;
import dev.tu.contracts.Topics;
import dev.tu.testsupport.KafkaProbe;
import dev.tu.testsupport.SuiteLayout;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.AnonymousQueue;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.MessageListenerContainer;
import org.springframework.amqp.rabbit.listener.RabbitListenerEndpointRegistry;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.actuate.endpoint.CompositeHealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The bridge between the real Kafka broker and the real RabbitMQ: events cross with their CloudEvents
 * attributes renamed and values kept, traceparent unchanged, every one of them; a message that came
 * from the other side is never carried back. Readiness covers both connections, and each direction's lag
 * is a metric.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.server.port=0",
        "spring.kafka.consumer.auto-offset-reset=latest",
        "tu.bridge.lag-refresh=200ms"})
class BridgeBothWaysIT {

    private static final Map<String, String> infra = SuiteLayout.locate().infrastructure();
    private static final int EVENTS = 500;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", () -> infra.get("TU_KAFKA_BOOTSTRAP"));
        registry.add("spring.rabbitmq.host", () -> infra.get("TU_RABBITMQ_HOST"));
        registry.add("spring.rabbitmq.port", () -> infra.get("TU_RABBITMQ_PORT"));
        // A fresh group: this run's records only, not whatever the topics hold from other runs.
        registry.add("spring.kafka.consumer.group-id", () -> "bridge-it-" + UUID.randomUUID());
    }

    @BeforeAll
    static void topicsExist() {
        dev.tu.testsupport.KafkaTopics.ensure(infra.get("TU_KAFKA_BOOTSTRAP"), Topics.ALL.toArray(String[]::new));
    }

    @Autowired
    RabbitTemplate rabbit;

    @Autowired
    RabbitAdmin rabbitAdmin;

    @Autowired
    KafkaTemplate<String, byte[]> kafka;

    @Autowired
    KafkaListenerEndpointRegistry listeners;

    @Autowired
    RabbitListenerEndpointRegistry rabbitListeners;

    @Autowired
    HealthEndpoint health;

    @Autowired
    MeterRegistry meters;

    @LocalManagementPort
    int managementPort;

    private Queue events;
    private final Map<String, org.springframework.amqp.core.Message> received = new ConcurrentHashMap<>();

    @BeforeEach
    void listenOnEvents() {
        events = new AnonymousQueue();
        rabbitAdmin.declareQueue(events);
        rabbitAdmin.declareBinding(BindingBuilder.bind(events).to(new TopicExchange(Exchanges.EVENTS))
                .with(Topics.IMAGE_ANALYZED));
        await("partitions assigned").atMost(Duration.ofSeconds(30)).until(() -> {
            var assigned = listeners.getListenerContainer("kafka-to-rabbit").getAssignedPartitions();
            return assigned != null && !assigned.isEmpty();
        });
    }

    @AfterEach
    void removeQueue() {
        rabbitAdmin.deleteQueue(events.getName());
    }

    @Test
    void everyKafkaEventReachesTheExchangeWithItsAttributes() {
        List<String> ids = IntStream.range(0, EVENTS).mapToObj(i -> UUID.randomUUID().toString()).toList();
        String traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        ids.forEach(id -> kafka.send(event(Topics.IMAGE_ANALYZED, id, traceparent, null)));
        kafka.flush();

        await("all " + EVENTS + " events on RabbitMQ").atMost(Duration.ofSeconds(60)).until(() -> {
            drain();
            return received.keySet().containsAll(ids);
        });

        org.springframework.amqp.core.Message first = received.get(ids.getFirst());
        MessageProperties properties = first.getMessageProperties();
        assertThat(properties.getMessageId()).isEqualTo(ids.getFirst());
        assertThat(properties.getReceivedRoutingKey()).isEqualTo(Topics.IMAGE_ANALYZED);
        assertThat(properties.<Object>getHeader("cloudEvents_id")).isEqualTo(ids.getFirst());
        assertThat(properties.<Object>getHeader("cloudEvents_type")).isEqualTo(Topics.IMAGE_ANALYZED);
        assertThat(properties.<Object>getHeader("cloudEvents_tenant")).isEqualTo("acme");
        assertThat(properties.<Object>getHeader("traceparent")).isEqualTo(traceparent);
        assertThat(properties.<Object>getHeader("tu-bridged-from")).isEqualTo("kafka");
        assertThat(new String(first.getBody(), StandardCharsets.UTF_8)).contains(ids.getFirst());
    }

    @Test
    void everyCommandReachesKafkaWithItsAttributes() {
        try (KafkaProbe requested = KafkaProbe.watch(infra.get("TU_KAFKA_BOOTSTRAP"), Topics.ANALYSIS_REQUESTED)) {
            List<String> subjects = IntStream.range(0, EVENTS).mapToObj(i -> UUID.randomUUID().toString()).toList();
            subjects.forEach(subject -> rabbit.send(Exchanges.COMMANDS, Topics.ANALYSIS_REQUESTED, command(subject)));

            await("all " + EVENTS + " commands on Kafka").atMost(Duration.ofSeconds(60))
                    .until(() -> requested.keys().containsAll(subjects));

            var record = requested.withKey(subjects.getFirst()).getFirst();
            Map<String, String> headers = KafkaProbe.headers(record);
            assertThat(headers).containsEntry("ce_type", Topics.ANALYSIS_REQUESTED)
                    .containsEntry("ce_subject", subjects.getFirst())
                    .containsEntry("ce_id", "cmd-" + subjects.getFirst())
                    .containsEntry("traceparent", "00-1af7651916cd43dd8448eb211c80319c-c7ad6b7169203331-01")
                    .containsEntry("tu-bridged-from", "rabbitmq");
            assertThat(record.value()).contains(subjects.getFirst());
        }
    }

    @Test
    void aRecordThatCameFromRabbitMqIsNotCarriedBack() {
        String echoed = UUID.randomUUID().toString();
        String marker = UUID.randomUUID().toString();
        kafka.send(event(Topics.IMAGE_ANALYZED, echoed, null, "rabbitmq"));
        kafka.send(event(Topics.IMAGE_ANALYZED, marker, null, null));
        kafka.flush();

        await("the unmarked record arrives").atMost(Duration.ofSeconds(30)).until(() -> {
            drain();
            return received.containsKey(marker);
        });
        assertThat(received).doesNotContainKey(echoed);
    }

    @Test
    void readinessReportsBothConnections() {
        // Over HTTP the details are never shown; in-process the endpoint shows the group's components.
        var readiness = (CompositeHealthDescriptor) health.healthForPath("readiness");
        assertThat(readiness.getComponents()).containsKeys("rabbit", "kafka");
        assertThat(readiness.getComponents().get("rabbit").getStatus()).isEqualTo(Status.UP);
        assertThat(readiness.getComponents().get("kafka").getStatus()).isEqualTo(Status.UP);
        assertThat(readiness.getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void theLagOfEachDirectionIsAMetric() throws Exception {
        MessageListenerContainer commandsListener = rabbitListeners.getListenerContainer("rabbit-to-kafka");
        List<String> subjects = IntStream.range(0, 20).mapToObj(i -> UUID.randomUUID().toString()).toList();
        try (KafkaProbe requested = KafkaProbe.watch(infra.get("TU_KAFKA_BOOTSTRAP"), Topics.ANALYSIS_REQUESTED)) {
            commandsListener.stop();
            try {
                subjects.forEach(subject -> rabbit.send(Exchanges.COMMANDS, Topics.ANALYSIS_REQUESTED, command(subject)));
                await("the waiting commands counted").atMost(Duration.ofSeconds(15))
                        .until(() -> commandsLag() >= subjects.size());
                assertThat(scrape()).containsPattern("(?m)^tu_bridge_lag_messages\\{[^}]*direction=\"rabbit-to-kafka\""
                        + "[^}]*} (\\d+)(\\.\\d+)?(E\\d+)?$");
            } finally {
                commandsListener.start();
            }
            await("the commands carried to Kafka").atMost(Duration.ofSeconds(30))
                    .until(() -> requested.keys().containsAll(subjects));
            await("no lag once carried").atMost(Duration.ofSeconds(15)).until(() -> commandsLag() == 0);
        }
        // Kafka -> RabbitMQ: the Kafka consumer's own lag, from the client metrics of the bridge's consumers.
        await("the consumers' records lag exported").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(scrape().lines().filter(line -> line.contains("records_lag")).toList())
                        .anySatisfy(line -> assertThat(line).startsWith("kafka_consumer_fetch_manager_records_lag_max{")
                                .contains("client_id=\"consumer-")));
    }

    private double commandsLag() {
        return meters.get("tu.bridge.lag").tag("direction", "rabbit-to-kafka").gauge().value();
    }

    private String scrape() throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + managementPort + "/actuator/prometheus")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            return response.body();
        }
    }

    private void drain() {
        org.springframework.amqp.core.Message message;
        while ((message = rabbit.receive(events.getName())) != null) {
            received.put(message.getMessageProperties().getMessageId(), message);
        }
    }

    private static ProducerRecord<String, byte[]> event(String topic, String id, String traceparent, String bridgedFrom) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, id,
                ("{\"imageId\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
        header(record, "ce_id", id);
        header(record, "ce_type", topic);
        header(record, "ce_source", "/tu/test");
        header(record, "ce_specversion", "1.0");
        header(record, "ce_subject", id);
        header(record, "ce_tenant", "acme");
        header(record, "ce_datacontenttype", "application/json");
        if (traceparent != null) {
            header(record, "traceparent", traceparent);
        }
        if (bridgedFrom != null) {
            header(record, "tu-bridged-from", bridgedFrom);
        }
        return record;
    }

    private static void header(ProducerRecord<String, byte[]> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static org.springframework.amqp.core.Message command(String subject) {
        MessageProperties properties = new MessageProperties();
        properties.setContentType("application/json");
        properties.setMessageId("cmd-" + subject);
        properties.setHeader("cloudEvents_id", "cmd-" + subject);
        properties.setHeader("cloudEvents_type", Topics.ANALYSIS_REQUESTED);
        properties.setHeader("cloudEvents_specversion", "1.0");
        properties.setHeader("cloudEvents_source", "/tu/analysis-orchestrator");
        properties.setHeader("cloudEvents_subject", subject);
        properties.setHeader("cloudEvents_tenant", "acme");
        properties.setHeader("traceparent", "00-1af7651916cd43dd8448eb211c80319c-c7ad6b7169203331-01");
        return new org.springframework.amqp.core.Message(
                ("{\"imageId\":\"" + subject + "\",\"attempt\":1}").getBytes(StandardCharsets.UTF_8), properties);
    }
}
