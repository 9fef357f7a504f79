package dev.tu.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tu.contracts.EventTypes;
import dev.tu.contracts.Exchanges;
import dev.tu.orchestrator.workflow.Workflow;
import dev.tu.testsupport.Keycloak;
import dev.tu.testsupport.SuiteLayout;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.AnonymousQueue;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The workflow against the real PostgreSQL and RabbitMQ: events applied once however often they are
 * delivered and in whatever order, timeouts re-issue the command and finally give up, a late result
 * still completes, concurrent sweeps never issue the same attempt twice; the tenant listing pages by
 * status with a cursor, and a cursor it did not hand out is a 400.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.server.port=0",
        "tu.workflow.attempt-timeout=2s",
        "tu.workflow.max-attempts=2",
        "tu.workflow.sweep-every=300ms"})
class WorkflowIT {

    private static final Map<String, String> infra = SuiteLayout.locate().infrastructure();

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> "jdbc:postgresql://" + infra.get("TU_POSTGRES_HOST") + ":"
                + infra.get("TU_POSTGRES_PORT") + "/tu_orchestrator_test");
        registry.add("spring.rabbitmq.host", () -> infra.get("TU_RABBITMQ_HOST"));
        registry.add("spring.rabbitmq.port", () -> infra.get("TU_RABBITMQ_PORT"));
        registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", () -> infra.get("TU_ISSUER_URI"));
    }

    @Autowired
    RabbitTemplate rabbit;

    @Autowired
    RabbitAdmin admin;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Workflow workflow;

    @LocalServerPort
    int port;

    private final JsonMapper json = JsonMapper.builder().build();

    private Queue commands;
    private Queue notifications;
    private final Map<String, AtomicInteger> commandIds = new ConcurrentHashMap<>();
    private final List<String> statuses = java.util.Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void listen() {
        commands = new AnonymousQueue();
        admin.declareQueue(commands);
        admin.declareBinding(BindingBuilder.bind(commands).to(new TopicExchange(Exchanges.COMMANDS))
                .with(EventTypes.ANALYSIS_REQUESTED));
        notifications = new AnonymousQueue();
        admin.declareQueue(notifications);
        admin.declareBinding(BindingBuilder.bind(notifications).to(new TopicExchange(Exchanges.NOTIFICATIONS))
                .with("acme.#"));
    }

    @AfterEach
    void stopListening() {
        admin.deleteQueue(commands.getName());
        admin.deleteQueue(notifications.getName());
    }

    @Test
    void anEventDeliveredTwiceIsAppliedOnce() {
        UUID image = UUID.randomUUID();
        Message uploaded = event(EventTypes.IMAGE_UPLOADED, "evt-" + image, image, "{}");
        rabbit.send(Exchanges.EVENTS, EventTypes.IMAGE_UPLOADED, uploaded);
        rabbit.send(Exchanges.EVENTS, EventTypes.IMAGE_UPLOADED, uploaded);

        await().atMost(Duration.ofSeconds(10)).until(() -> status(image).equals("ANALYZING"));
        await("both deliveries processed").atMost(Duration.ofSeconds(10))
                .until(() -> admin.getQueueInfo(Exchanges.ORCHESTRATOR_EVENTS_QUEUE).getMessageCount() == 0);
        assertThat(jdbc.sql("select count(*) from applied_event where event_id = :id").param("id", "evt-" + image)
                .query(Long.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("select attempts from analysis where image_id = :id").param("id", image)
                .query(Integer.class).single()).isEqualTo(1);
        await("a status notification").atMost(Duration.ofSeconds(10)).until(() -> {
            drain(notifications, message -> statuses.add(new String(message.getBody(), StandardCharsets.UTF_8)));
            return statuses.stream().anyMatch(s -> s.contains(image.toString()) && s.contains("ANALYZING"));
        });
    }

    @Test
    void aTimeoutReissuesTheCommandThenGivesUpAndALateResultStillCompletes() {
        UUID image = UUID.randomUUID();
        rabbit.send(Exchanges.EVENTS, EventTypes.IMAGE_UPLOADED, event(EventTypes.IMAGE_UPLOADED, "up-" + image, image,
                "{\"objectKey\":\"originals/acme/" + image + "\"}"));

        await("attempt 2 requested").atMost(Duration.ofSeconds(15)).until(() -> {
            drainCommands();
            return commandIds.containsKey("analysis-requested:" + image + ":2");
        });
        await("failed after the last attempt").atMost(Duration.ofSeconds(15))
                .until(() -> status(image).equals("FAILED"));
        assertThat(jdbc.sql("select failure_code from analysis where image_id = :id").param("id", image)
                .query(String.class).single()).isEqualTo("TIMED_OUT");

        rabbit.send(Exchanges.EVENTS, EventTypes.IMAGE_ANALYZED, event(EventTypes.IMAGE_ANALYZED, "an-" + image, image,
                "{\"attempt\":1,\"results\":[]}"));
        await("the late result completes it").atMost(Duration.ofSeconds(10))
                .until(() -> status(image).equals("COMPLETED"));
    }

    @Test
    void aWorkflowEndsOnceASecondResultOrALateFailureChangesNothing() {
        UUID image = UUID.randomUUID();
        rabbit.send(Exchanges.EVENTS, EventTypes.IMAGE_ANALYZED, event(EventTypes.IMAGE_ANALYZED, "an1-" + image, image,
                "{\"attempt\":1,\"results\":[]}"));
        await().atMost(Duration.ofSeconds(10)).until(() -> status(image).equals("COMPLETED"));
        java.sql.Timestamp ended = jdbc.sql("select updated_at from analysis where image_id = :id").param("id", image)
                .query(java.sql.Timestamp.class).single();

        // Issue 11: attempt 2's result, late after attempt 1's, completed the image a second time.
        rabbit.send(Exchanges.EVENTS, EventTypes.IMAGE_ANALYZED, event(EventTypes.IMAGE_ANALYZED, "an2-" + image, image,
                "{\"attempt\":2,\"results\":[]}"));
        rabbit.send(Exchanges.EVENTS, EventTypes.IMAGE_ANALYSIS_FAILED, event(EventTypes.IMAGE_ANALYSIS_FAILED,
                "fa-" + image, image, "{\"attempt\":3,\"code\":\"UNREADABLE_IMAGE\",\"detail\":\"x\"}"));
        await("all three applied").atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql(
                        "select count(*) from applied_event where image_id = :id").param("id", image)
                .query(Long.class).single() == 3);
        assertThat(status(image)).isEqualTo("COMPLETED");
        assertThat(jdbc.sql("select updated_at from analysis where image_id = :id").param("id", image)
                .query(java.sql.Timestamp.class).single()).as("no second terminal transition").isEqualTo(ended);
    }

    @Test
    void eventsOutOfOrderEndInTheRightState() {
        UUID image = UUID.randomUUID();
        rabbit.send(Exchanges.EVENTS, EventTypes.IMAGE_ANALYZED, event(EventTypes.IMAGE_ANALYZED, "an-" + image, image,
                "{\"attempt\":1,\"results\":[]}"));
        await().atMost(Duration.ofSeconds(10)).until(() -> status(image).equals("COMPLETED"));

        rabbit.send(Exchanges.EVENTS, EventTypes.IMAGE_UPLOADED, event(EventTypes.IMAGE_UPLOADED, "up-" + image, image,
                "{}"));
        rabbit.send(Exchanges.EVENTS, EventTypes.IMAGE_ANALYSIS_FAILED, event(EventTypes.IMAGE_ANALYSIS_FAILED,
                "fa-" + image, image, "{\"attempt\":1,\"code\":\"UNREADABLE_IMAGE\",\"detail\":\"x\"}"));
        await("both applied").atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql(
                        "select count(*) from applied_event where image_id = :id").param("id", image)
                .query(Long.class).single() == 3);
        assertThat(status(image)).isEqualTo("COMPLETED");
    }

    @Test
    void concurrentSweepsNeverIssueTheSameAttemptTwice() {
        List<UUID> images = IntStream.range(0, 30).mapToObj(i -> UUID.randomUUID()).toList();
        Timestamp past = Timestamp.from(Instant.now().minusSeconds(60));
        images.forEach(image -> jdbc.sql("insert into analysis (image_id, tenant, object_key, status, attempts, "
                        + "received_at, updated_at, deadline_at) values (:id, 'acme', 'k', 'ANALYZING', 1, :t, :t, :t)")
                .param("id", image).param("t", past).update());

        // Four sweepers at once, on top of the scheduled one: replicas racing for the same rows.
        List<CompletableFuture<Integer>> sweeps = IntStream.range(0, 4)
                .mapToObj(i -> CompletableFuture.supplyAsync(workflow::sweepOverdue)).toList();
        sweeps.forEach(CompletableFuture::join);

        await("every overdue image re-issued").atMost(Duration.ofSeconds(15)).until(() -> {
            drainCommands();
            return images.stream().allMatch(image -> commandIds.containsKey("analysis-requested:" + image + ":2"));
        });
        images.forEach(image -> assertThat(commandIds.get("analysis-requested:" + image + ":2").get())
                .as("attempt 2 of %s", image).isEqualTo(1));
    }

    @Test
    void theApiIsTenantScopedAndReanalysisNeedsTheAnalystRole() {
        UUID image = UUID.randomUUID();
        rabbit.send(Exchanges.EVENTS, EventTypes.IMAGE_ANALYZED, event(EventTypes.IMAGE_ANALYZED, "an-" + image, image,
                "{\"attempt\":1,\"results\":[]}"));
        await().atMost(Duration.ofSeconds(10)).until(() -> status(image).equals("COMPLETED"));
        RestClient client = RestClient.builder().baseUrl("http://127.0.0.1:" + port)
                .defaultStatusHandler(code -> true, (request, response) -> { }).build();

        assertThat(call(client, "alice", "GET", "/api/v1/analyses/" + image).getBody()).contains("COMPLETED");
        assertThat(call(client, "alice", "GET", "/api/v1/analyses?imageIds=" + image).getBody()).contains(image.toString());
        assertThat(call(client, "bob", "GET", "/api/v1/analyses/" + image).getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(call(client, "bob", "GET", "/api/v1/analyses?imageIds=" + image).getBody())
                .doesNotContain(image.toString());
        assertThat(call(client, "carol", "POST", "/api/v1/analyses/" + image + "/reanalysis").getStatusCode())
                .isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(call(client, "bob", "POST", "/api/v1/analyses/" + image + "/reanalysis").getStatusCode())
                .isEqualTo(HttpStatus.NOT_FOUND);

        var accepted = call(client, "alice", "POST", "/api/v1/analyses/" + image + "/reanalysis");
        assertThat(accepted.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
        assertThat(accepted.getBody()).contains("ANALYZING");
        await("the re-analysis command").atMost(Duration.ofSeconds(10)).until(() -> {
            drainCommands();
            return commandIds.containsKey("analysis-requested:" + image + ":1");
        });
    }

    @Test
    void theTenantListingPagesByStatusWithACursorAndRefusesAForgedOne() {
        // Far in the future, so these rows are the newest of their tenant whatever earlier runs left.
        Instant newest = Instant.parse("2999-01-01T00:00:00Z");
        Map<UUID, Instant> acme = new java.util.HashMap<>();
        List<UUID> excluded = new ArrayList<>();
        List<UUID> globexCompleted = new ArrayList<>();
        // Three rows share a timestamp and a page boundary falls among them: the cursor's tie-break on the id.
        for (int i = 0; i < 7; i++) {
            Instant updatedAt = newest.minusSeconds(i < 3 ? 0 : i < 5 ? 1 : 2);
            acme.put(insert("acme", "COMPLETED", updatedAt), updatedAt);
        }
        List<UUID> acmeCompleted = List.copyOf(acme.keySet());
        for (int i = 0; i < 2; i++) {
            excluded.add(insert("acme", "FAILED", newest));
            globexCompleted.add(insert("globex", "COMPLETED", newest));
        }
        excluded.addAll(globexCompleted);
        RestClient client = RestClient.builder().baseUrl("http://127.0.0.1:" + port)
                .defaultStatusHandler(code -> true, (request, response) -> { }).build();
        try {
            List<String> seen = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                var response = call(client, "alice", "GET", "/api/v1/analyses?status=COMPLETED&limit=3"
                        + (cursor == null ? "" : "&cursor=" + cursor));
                assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
                JsonNode page = json.readTree(response.getBody());
                assertThat(page.get("items").size()).isBetween(1, 3);
                for (JsonNode item : page.get("items")) {
                    assertThat(item.get("tenant").asString()).isEqualTo("acme");
                    assertThat(item.get("status").asString()).isEqualTo("COMPLETED");
                    seen.add(item.get("imageId").asString());
                }
                JsonNode next = page.get("nextCursor");
                cursor = next == null || next.isNull() ? null : next.asString();
                pages++;
            } while (cursor != null && !seen.containsAll(strings(acmeCompleted)) && pages < 100);

            assertThat(seen).as("no item on two pages").doesNotHaveDuplicates();
            assertThat(pages).as("7 rows of 3 a page").isGreaterThanOrEqualTo(3);
            // Newest change first, then the id descending (PostgreSQL orders uuids as their hex text does).
            List<String> expectedOrder = acmeCompleted.stream()
                    .sorted(java.util.Comparator.<UUID, Instant>comparing(acme::get).thenComparing(UUID::toString)
                            .reversed())
                    .map(UUID::toString).toList();
            assertThat(seen.stream().filter(expectedOrder::contains).toList()).as("every row once, newest first")
                    .containsExactlyElementsOf(expectedOrder);
            assertThat(seen).as("other statuses and other tenants").doesNotContainAnyElementsOf(strings(excluded));

            String globex = call(client, "bob", "GET", "/api/v1/analyses?status=COMPLETED&limit=100").getBody();
            assertThat(globex).contains(strings(globexCompleted)).doesNotContain(strings(acmeCompleted));

            for (String forged : List.of("not-a-cursor!", java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                    "yesterday|someone-else".getBytes(StandardCharsets.UTF_8)))) {
                var refused = call(client, "alice", "GET", "/api/v1/analyses?limit=3&cursor=" + forged);
                assertThat(refused.getStatusCode()).as("cursor %s", forged).isEqualTo(HttpStatus.BAD_REQUEST);
                assertThat(refused.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
                assertThat(refused.getBody()).contains("INVALID_CURSOR");
            }
            var tooMany = call(client, "alice", "GET", "/api/v1/analyses?limit=1000");
            assertThat(tooMany.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
            assertThat(tooMany.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        } finally {
            List<UUID> all = new ArrayList<>(acmeCompleted);
            all.addAll(excluded);
            jdbc.sql("delete from analysis where image_id in (:ids)").param("ids", all).update();
        }
    }

    private UUID insert(String tenant, String status, Instant updatedAt) {
        UUID image = UUID.randomUUID();
        jdbc.sql("insert into analysis (image_id, tenant, object_key, status, attempts, received_at, updated_at) "
                        + "values (:id, :tenant, 'k', :status, 1, :t, :t)")
                .param("id", image).param("tenant", tenant).param("status", status)
                .param("t", Timestamp.from(updatedAt)).update();
        return image;
    }

    private static List<String> strings(List<UUID> ids) {
        return ids.stream().map(UUID::toString).toList();
    }

    private org.springframework.http.ResponseEntity<String> call(RestClient client, String user, String method,
            String path) {
        return client.method(org.springframework.http.HttpMethod.valueOf(method)).uri(path)
                .headers(headers -> headers.setBearerAuth(Keycloak.local().accessToken(user)))
                .retrieve().toEntity(String.class);
    }

    private String status(UUID image) {
        return jdbc.sql("select status from analysis where image_id = :id").param("id", image)
                .query(String.class).optional().orElse("NONE");
    }

    private void drainCommands() {
        drain(commands, message -> commandIds.computeIfAbsent(message.getMessageProperties().getMessageId(),
                id -> new AtomicInteger()).incrementAndGet());
    }

    private void drain(Queue queue, java.util.function.Consumer<Message> sink) {
        Message message;
        while ((message = rabbit.receive(queue.getName())) != null) {
            sink.accept(message);
        }
    }

    private static Message event(String type, String id, UUID image, String extraJson) {
        String body = "{\"imageId\":\"" + image + "\",\"tenant\":\"acme\"" + (extraJson.equals("{}") ? "}"
                : "," + extraJson.substring(1));
        MessageProperties properties = new MessageProperties();
        properties.setContentType("application/json");
        properties.setMessageId(id);
        properties.setHeader("cloudEvents_id", id);
        properties.setHeader("cloudEvents_type", type);
        properties.setHeader("cloudEvents_tenant", "acme");
        properties.setHeader("cloudEvents_subject", image.toString());
        return new Message(body.getBytes(StandardCharsets.UTF_8), properties);
    }
}
