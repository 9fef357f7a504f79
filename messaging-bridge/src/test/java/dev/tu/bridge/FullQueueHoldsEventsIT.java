package dev.tu.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tu.testsupport.SuiteLayout;
import io.micrometer.core.instrument.MeterRegistry;
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
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue 5, back-pressure: when RabbitMQ refuses an event (here a queue at its length limit with
 * {@code reject-publish}: RabbitMQ nacks the publish) the bridge does not commit it, counts and logs the
 * refusal with the event id, and its consumer does not move on; nothing is dropped. As the queue is
 * drained the held events arrive, in order, and their offsets are committed. The route (a fresh topic
 * and exchange of this test) parks unrouted events, as in production: a nack holds regardless. The
 * commands listener is not started: it would take commands from the shared broker's queue.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.server.port=0",
        "spring.rabbitmq.listener.simple.auto-startup=false",
        "tu.bridge.consumers=1",
        // The production log format (the build turns it off for readable test output): the keys are JSON fields.
        "logging.structured.format.console=ecs"})
@ExtendWith(OutputCaptureExtension.class)
@DirtiesContext
class FullQueueHoldsEventsIT {

    private static final Map<String, String> infra = SuiteLayout.locate().infrastructure();
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String TOPIC = "tu.test.full." + RUN;
    private static final String EXCHANGE = "tu.test.full." + RUN;
    private static final String GROUP = "bridge-full-it-" + RUN;
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
    void aFullQueueHoldsTheConsumerUntilItIsDrainedAndNothingIsDropped(CapturedOutput output) throws Exception {
        await("partition assigned").atMost(Duration.ofSeconds(30)).until(() -> {
            var assigned = listeners.getListenerContainer("kafka-to-rabbit").getAssignedPartitions();
            return assigned != null && assigned.contains(PARTITION);
        });
        // Room for one message; RabbitMQ nacks every publish beyond it.
        Queue queue = QueueBuilder.nonDurable("tu.test.full." + RUN).autoDelete().maxLength(1)
                .overflow(QueueBuilder.Overflow.rejectPublish).build();
        rabbitAdmin.declareQueue(queue);
        try {
            rabbitAdmin.declareBinding(new Binding(queue.getName(), Binding.DestinationType.QUEUE, EXCHANGE, TOPIC,
                    null));
            List<String> ids = List.of("full-" + RUN + "-1", "full-" + RUN + "-2", "full-" + RUN + "-3");
            for (String id : ids) {
                kafka.send(event(id)).get();
            }

            await("the second event nacked, and again").atMost(Duration.ofSeconds(30)).until(() -> refusedNacked() >= 2);
            await("the first offset committed").atMost(Duration.ofSeconds(30)).until(() -> committed() == 1);
            double nacks = refusedNacked();
            await("nacked again while the queue is full").atMost(Duration.ofSeconds(30))
                    .until(() -> refusedNacked() > nacks);
            assertThat(committed()).as("committed offset while the queue is full").isEqualTo(1);
            assertThat(rabbitAdmin.getQueueInfo(queue.getName()).getMessageCount()).isEqualTo(1);
            String log = output.getOut() + output.getErr();
            assertThat(log).contains("RabbitMQ did not take event " + ids.get(1)).contains("nacked");
            assertThat(log).as("the refusal carries the event's keys as structured fields")
                    .contains("\"eventId\":\"" + ids.get(1) + "\"").contains("\"tenant\":\"acme\"")
                    .contains("\"imageId\":\"" + ids.get(1) + "\"");

            // One at a time: each drained message makes room for exactly the next one.
            List<String> arrived = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                int expected = i + 1;
                await("message " + expected + " in the queue").atMost(Duration.ofSeconds(30)).until(() -> {
                    Message message = rabbit.receive(queue.getName());
                    if (message != null) {
                        arrived.add(message.getMessageProperties().getMessageId());
                    }
                    return arrived.size() == expected;
                });
            }
            assertThat(arrived).containsExactlyElementsOf(ids);
            await("all three offsets committed").atMost(Duration.ofSeconds(30)).until(() -> committed() == 3);
            assertThat(rabbit.receive(queue.getName())).as("nothing published twice after it was confirmed").isNull();
        } finally {
            rabbitAdmin.deleteQueue(queue.getName());
            rabbitAdmin.deleteExchange(EXCHANGE);
        }
    }

    private double refusedNacked() {
        var counter = meters.find("tu.bridge.refused").tag("route", TOPIC + "->" + EXCHANGE)
                .tag("reason", "nacked").counter();
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
        record.headers().add("ce_subject", id.getBytes(StandardCharsets.UTF_8));
        record.headers().add("ce_tenant", "acme".getBytes(StandardCharsets.UTF_8));
        return record;
    }
}
