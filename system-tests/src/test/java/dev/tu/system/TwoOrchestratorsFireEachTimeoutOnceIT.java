package dev.tu.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import dev.tu.contracts.EventTypes;
import dev.tu.contracts.Exchanges;
import dev.tu.testsupport.PrivateRabbitNode;
import dev.tu.testsupport.Service;
import dev.tu.testsupport.ServiceProcess;
import dev.tu.testsupport.Suite;
import dev.tu.testsupport.SuiteLayout;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 5: two orchestrator processes, one database, never fire the same timeout twice. Both run from
 * the jar through the harness (ports 18086/19086 and 18087/19087), against the test database
 * {@code tu_orchestrator_test} and a private RabbitMQ node of this test's own (127.0.0.1:5675) — so the
 * commands they re-issue reach no bridge or adapter of the shared suite. Short timeouts (2 s, 3
 * attempts, a sweep every 200 ms of at most 2 rows) make them race for the same overdue rows all the
 * time; each stamps its commands with its own CloudEvents source, so the test sees that both did work.
 * Every image must get exactly one {@code tu.analysis.requested} for attempt 2 and one for attempt 3,
 * none for a 4th, and end {@code FAILED}.
 */
class TwoOrchestratorsFireEachTimeoutOnceIT {

    private static final int IMAGES = 20;
    private static final String COMMANDS_QUEUE = "tu.test.two-orchestrators.commands";
    private static final Map<String, String> infra = SuiteLayout.locate().infrastructure();
    private static final String DATABASE_URL = "jdbc:postgresql://" + infra.get("TU_POSTGRES_HOST") + ":"
            + infra.get("TU_POSTGRES_PORT") + "/tu_orchestrator_test";

    private static PrivateRabbitNode rabbit;
    private static ServiceProcess first;
    private static ServiceProcess second;
    private static Connection connection;

    @BeforeAll
    static void startNodeAndTwoOrchestrators() throws Exception {
        rabbit = PrivateRabbitNode.create(SuiteLayout.locate().root().resolve("system-tests/target/rabbit-5675"),
                "tu-orchestrators@localhost", 5675);
        rabbit.start();
        // Both start at once (start-up dominates); the common pool may have a single thread on two cores.
        ExecutorService starter = Executors.newFixedThreadPool(2);
        try {
            CompletableFuture<ServiceProcess> a = CompletableFuture.supplyAsync(() -> orchestrator("a", 18086), starter);
            CompletableFuture<ServiceProcess> b = CompletableFuture.supplyAsync(() -> orchestrator("b", 18087), starter);
            try {
                first = a.join();
            } finally {
                second = b.join();
            }
        } finally {
            starter.shutdown();
        }
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(rabbit.host());
        factory.setPort(rabbit.port());
        connection = factory.newConnection("two-orchestrators-it");
        try (Channel channel = connection.createChannel()) {
            channel.queueDeclare(COMMANDS_QUEUE, true, false, false, Map.of());
            channel.queueBind(COMMANDS_QUEUE, Exchanges.COMMANDS, EventTypes.ANALYSIS_REQUESTED);
        }
    }

    private static ServiceProcess orchestrator(String name, int port) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SERVER_PORT", Integer.toString(port));
        env.put("MANAGEMENT_SERVER_PORT", Integer.toString(port + 1000));
        env.put("SPRING_DATASOURCE_URL", DATABASE_URL);
        env.put("SPRING_RABBITMQ_HOST", rabbit.host());
        env.put("SPRING_RABBITMQ_PORT", Integer.toString(rabbit.port()));
        env.put("TU_WORKFLOW_ATTEMPTTIMEOUT", "2s");
        env.put("TU_WORKFLOW_MAXATTEMPTS", "3");
        env.put("TU_WORKFLOW_SWEEPEVERY", "200ms");
        env.put("TU_WORKFLOW_SWEEPBATCH", "2");
        env.put("TU_MESSAGING_SOURCE", "/tu/analysis-orchestrator/" + name);
        return Suite.startOne(Service.ORCHESTRATOR, env);
    }

    @AfterAll
    static void stopEverything() throws Exception {
        try {
            if (connection != null) {
                connection.close();
            }
        } finally {
            try {
                closeQuietly(first);
                closeQuietly(second);
            } finally {
                if (rabbit != null) {
                    rabbit.close();
                }
            }
        }
    }

    private static void closeQuietly(ServiceProcess process) {
        if (process != null) {
            process.close();
        }
    }

    @Test
    void everyTimeoutIsFiredOnceThoughTwoInstancesSweep() throws Exception {
        List<UUID> images = IntStream.range(0, IMAGES).mapToObj(i -> UUID.randomUUID()).toList();
        try (Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            for (UUID image : images) {
                channel.basicPublish(Exchanges.EVENTS, EventTypes.IMAGE_UPLOADED, true, uploaded(image),
                        ("{\"imageId\":\"" + image + "\",\"tenant\":\"acme\",\"objectKey\":\"originals/acme/" + image
                                + "\"}").getBytes(StandardCharsets.UTF_8));
            }
            channel.waitForConfirmsOrDie(10_000);
        }

        await("every image failed after its last attempt").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500)).until(() -> failed(images) == IMAGES);

        // Each command is confirmed before the sweep that sent it commits: all of them are in the queue now.
        Map<String, Integer> commands = new HashMap<>();
        Map<String, Integer> bySource = new HashMap<>();
        try (Channel channel = connection.createChannel()) {
            GetResponse response;
            while ((response = channel.basicGet(COMMANDS_QUEUE, true)) != null) {
                Map<String, Object> headers = response.getProps().getHeaders();
                commands.merge(response.getProps().getMessageId(), 1, Integer::sum);
                bySource.merge(String.valueOf(headers.get("cloudEvents_source")), 1, Integer::sum);
            }
        }
        System.out.println("two orchestrators: commands by source " + bySource);
        for (UUID image : images) {
            assertThat(commands.get("analysis-requested:" + image + ":2")).as("attempt 2 of %s", image).isEqualTo(1);
            assertThat(commands.get("analysis-requested:" + image + ":3")).as("attempt 3 of %s", image).isEqualTo(1);
            assertThat(commands).as("commands for %s", image).doesNotContainKeys(
                    "analysis-requested:" + image + ":1", "analysis-requested:" + image + ":4");
        }
        assertThat(bySource).as("re-issued by both instances")
                .containsKeys("/tu/analysis-orchestrator/a", "/tu/analysis-orchestrator/b");
    }

    private static int failed(List<UUID> images) throws Exception {
        try (java.sql.Connection db = DriverManager.getConnection(DATABASE_URL, "tu_orchestrator",
                "dev-only-orchestrator");
                PreparedStatement query = db.prepareStatement(
                        "select count(*) from analysis where status = 'FAILED' and image_id = any (?)")) {
            query.setArray(1, db.createArrayOf("uuid", images.toArray()));
            try (ResultSet result = query.executeQuery()) {
                result.next();
                return result.getInt(1);
            }
        }
    }

    private static AMQP.BasicProperties uploaded(UUID image) {
        String id = "uploaded-" + image;
        return new AMQP.BasicProperties.Builder()
                .contentType("application/json")
                .deliveryMode(2)
                .messageId(id)
                .headers(Map.of(
                        "cloudEvents_id", id,
                        "cloudEvents_type", EventTypes.IMAGE_UPLOADED,
                        "cloudEvents_specversion", "1.0",
                        "cloudEvents_source", "/tu/system-tests/two-orchestrators",
                        "cloudEvents_subject", image.toString(),
                        "cloudEvents_tenant", "acme"))
                .build();
    }
}
