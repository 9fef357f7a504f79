package dev.tu.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tu.testsupport.SuiteLayout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Issue 5: an event RabbitMQ returns as unroutable (a route that holds unrouted messages, mandatory
 * publish, no queue bound for its routing key) is not committed, is counted and logged with its event
 * id, is published again and again, and arrives — with the event after it, in order — once a queue is
 * bound. Real Kafka, real RabbitMQ; the route (a fresh topic and a fresh exchange of this test) is
 * configuration, as in production. The commands listener is not started: it would take commands from
 * the shared broker's queue.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.server.port=0",
        "spring.rabbitmq.listener.simple.auto-startup=false",
        "tu.bridge.consumers=1"})
@ExtendWith(OutputCaptureExtension.class)
class UnroutableEventIsHeldIT {

    private static final Map<String, String> infra = SuiteLayout.locate().infrastructure();
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String TOPIC = "tu.test.held." + RUN;
    private static final String EXCHANGE = "tu.test.held." + RUN;
    private static final String GROUP = "bridge-held-it-" + RUN;
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", () -> infra.get("TU_KAFKA_BOOTSTRAP"));
        registry.add("spring.rabbitmq.host", () -> infra.get("TU_RABBITMQ_HOST"));
        registry.add("spring.rabbitmq.port", () -> infra.get("TU_RABBITMQ_PORT"));
        registry.add("spring.kafka.consumer.group-id", () -> GROUP);
        // This route only (a list from a higher source replaces the one in application.yaml).
        registry.add("tu.bridge.routes[0].direction", () -> "KAFKA_TO_RABBIT");
        registry.add("tu.bridge.routes[0].topic", () -> TOPIC);
        registry.add("tu.bridge.routes[0].exchange", () -> EXCHANGE);
        registry.add("tu.bridge.routes[0].park-unrouted", () -> "false");
    }

    private static Admin kafkaAdmin;

    @BeforeAll
    static void freshTopic() throws Exception {
        kafkaAdmin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.get("TU_KAFKA_BOOTSTRAP")));
        kafkaAdmin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
    }

    @AfterAll
    static void removeTopic() throws Exception {
        try {
            kafkaAdmin.deleteTopics(List.of(TOPIC)).all().get();
        } finally {
            kafkaAdmin.close(Duration.ofSeconds(5));
        }
    }

    @Autowired
    KafkaTemplate<String, byte[]> kafka;

    @Autowired
    RabbitTemplate rabbit;

    @Autowired
    RabbitAdmin rabbitAdmin;

    @Autowired
    MeterRegistry meters;

    @Autowired
    KafkaListenerEndpointRegistry listeners;

    @Test
    void anUnroutableEventIsNotCommittedIsCountedAndArrivesOnceAQueueIsBound(CapturedOutput output) throws Exception {
        await("partition assigned").atMost(Duration.ofSeconds(30)).until(() -> {
            var assigned = listeners.getListenerContainer("kafka-to-rabbit").getAssignedPartitions();
            return assigned != null && assigned.contains(PARTITION);
        });
        String first = "held-" + RUN + "-1";
        String second = "held-" + RUN + "-2";
        kafka.send(event(first)).get();
        kafka.send(event(second)).get();

        await("refused as unroutable, and again").atMost(Duration.ofSeconds(30)).until(() -> refusedUnroutable() >= 2);
        assertThat(committed()).as("offset committed while the first event is unroutable").isZero();
        assertThat(output.getOut() + output.getErr()).contains("RabbitMQ did not take event " + first)
                .contains("unroutable");

        Queue queue = new Queue("tu.test.held." + RUN, false, false, true);
        rabbitAdmin.declareQueue(queue);
        try {
            rabbitAdmin.declareBinding(new Binding(queue.getName(), Binding.DestinationType.QUEUE, EXCHANGE, TOPIC,
                    null));
            List<String> arrived = new ArrayList<>();
            await("both events delivered once a queue is bound").atMost(Duration.ofSeconds(30)).until(() -> {
                Message message;
                while ((message = rabbit.receive(queue.getName())) != null) {
                    arrived.add(message.getMessageProperties().getMessageId());
                }
                return arrived.contains(second);
            });
            assertThat(arrived).containsExactly(first, second);
            await("both offsets committed").atMost(Duration.ofSeconds(30)).until(() -> committed() == 2);
        } finally {
            rabbitAdmin.deleteQueue(queue.getName());
            rabbitAdmin.deleteExchange(EXCHANGE);
        }
    }

    private double refusedUnroutable() {
        var counter = meters.find("tu.bridge.refused").tag("route", TOPIC + "->" + EXCHANGE)
                .tag("reason", "unroutable").counter();
        return counter == null ? 0 : counter.count();
    }

    private long committed() throws Exception {
        OffsetAndMetadata offset = kafkaAdmin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get()
                .get(PARTITION);
        return offset == null ? 0 : offset.offset();
    }

    private static ProducerRecord<String, byte[]> event(String id) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(TOPIC, 0, id,
                ("{\"imageId\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
        record.headers().add("ce_id", id.getBytes(StandardCharsets.UTF_8));
        record.headers().add("ce_type", TOPIC.getBytes(StandardCharsets.UTF_8));
        record.headers().add("ce_tenant", "acme".getBytes(StandardCharsets.UTF_8));
        return record;
    }
}
