package dev.tu.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import dev.tu.contracts.Exchanges;
import dev.tu.testsupport.PrivateRabbitNode;
import dev.tu.testsupport.Service;
import dev.tu.testsupport.ServiceProcess;
import dev.tu.testsupport.Suite;
import dev.tu.testsupport.SuiteLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 5's proof that the bridge loses nothing: N events each way (system property
 * {@code tu.noloss.events}, 1000 by default, 10,000 with {@code -Pnoloss-full}) while the RabbitMQ node
 * is stopped and started again mid-stream and while the bridge is killed (SIGKILL) and started again.
 * Every event id must arrive at least once; the duplicates that arrived are counted and printed.
 *
 * <p>The bridge runs as a process from its jar, through the harness, against the real Kafka and a
 * {@link PrivateRabbitNode} of this test's own (127.0.0.1:5673): the machine's RabbitMQ is never
 * stopped. It runs on ports 18085/19085, so that the shared suite may run beside it, with a fresh
 * consumer group, and with two test routes given as configuration — {@value #EVENTS_TOPIC} →
 * {@code tu.events} and {@code tu.commands}/{@value #COMMANDS_TOPIC} → {@value #COMMANDS_TOPIC} —
 * instead of the product's: thousands of fake {@code tu.image.analyzed} events or
 * {@code tu.analysis.requested} commands on the shared Kafka would be consumed by the suite's adapter and
 * orchestrator (on a fresh Kafka their groups start from the earliest offset). The bridge's code does
 * not know one route from another: the mapping is configuration.
 */
class BridgeNoLossIT {

    private static final Logger log = LoggerFactory.getLogger(BridgeNoLossIT.class);

    private static final int EVENTS = Integer.getInteger("tu.noloss.events", 1000);
    private static final String EVENTS_TOPIC = "tu.noloss.events";
    private static final String COMMANDS_TOPIC = "tu.noloss.commands";
    /** On the private node: bound to tu.events with the test route's routing key (its topic's name). */
    private static final String DELIVERED_QUEUE = "tu.noloss.delivered";
    private static final String COMMANDS_QUEUE = Exchanges.BRIDGE_COMMANDS_QUEUE;
    private static final String PORT = "18085";
    private static final String MANAGEMENT_PORT = "19085";
    /** The stream: one slice of the N events every tick, so that it spans about 100 ticks. */
    private static final Duration TICK = Duration.ofMillis(60);
    private static final Duration CATCH_UP = Duration.ofSeconds(Math.max(120, EVENTS / 50));

    private static final Map<String, String> infra = SuiteLayout.locate().infrastructure();
    private static final String bootstrap = infra.get("TU_KAFKA_BOOTSTRAP");
    private static final String group = "bridge-noloss-" + UUID.randomUUID();

    private static Admin admin;
    private static PrivateRabbitNode rabbit;
    private static ServiceProcess bridge;
    private static ConnectionFactory amqp;
    /** The group whose commits count: the bridge's, found from its members (see {@link #bridgeGroup()}). */
    private static String committingGroup;

    @BeforeAll
    static void startNodeAndBridge() throws Exception {
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
        Set<String> existing = admin.listTopics().names().get();
        List<NewTopic> missing = List.of(EVENTS_TOPIC, COMMANDS_TOPIC).stream()
                .filter(topic -> !existing.contains(topic)).map(topic -> new NewTopic(topic, 6, (short) 1))
                .toList();
        if (!missing.isEmpty()) {
            admin.createTopics(missing).all().get();
        }
        rabbit = PrivateRabbitNode.create(SuiteLayout.locate().root().resolve("system-tests/target/rabbit-5673"));
        rabbit.start();
        amqp = new ConnectionFactory();
        amqp.setHost(rabbit.host());
        amqp.setPort(rabbit.port());
        amqp.setAutomaticRecoveryEnabled(false);
        amqp.setConnectionTimeout(2000);
        try (Connection connection = amqp.newConnection("noloss-setup"); Channel channel = connection.createChannel()) {
            // The same arguments as the bridge declares, so whichever declares first wins nothing.
            channel.exchangeDeclare(Exchanges.EVENTS, "topic", true, false,
                    Map.of(Exchanges.ALTERNATE_EXCHANGE_ARGUMENT, Exchanges.UNROUTED));
            channel.queueDeclare(DELIVERED_QUEUE, true, false, false, Map.of("x-queue-type", "quorum"));
            channel.queueBind(DELIVERED_QUEUE, Exchanges.EVENTS, EVENTS_TOPIC);
        }
        bridge = startBridge();
    }

    @AfterAll
    static void stopEverything() {
        try {
            if (bridge != null) {
                bridge.close();
            }
        } finally {
            try {
                if (rabbit != null) {
                    rabbit.close();
                }
            } finally {
                if (admin != null) {
                    admin.close(Duration.ofSeconds(5));
                }
            }
        }
    }

    /**
     * Kafka → RabbitMQ. The stream goes to Kafka on a timer; once a quarter has reached the queue the
     * node is stopped cleanly and started again (the stream goes on into Kafka meanwhile); as soon as the
     * bridge delivers again it is killed and started again with the same group. Then every id must be
     * in the queue: it is read only once the bridge has committed everything.
     */
    @Test
    void kafkaToRabbitLosesNothingThroughABrokerRestartAndABridgeCrash() throws Exception {
        long started = System.nanoTime();
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = IntStream.range(0, EVENTS).mapToObj(i -> "k2r-" + run + "-" + i).toList();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            bridgeReadsTheTopic(producer, run);

            Feed stream = new Feed(ids.size(), slice -> {
                slice.forEach(i -> producer.send(event(ids.get(i))));
                producer.flush();
                return true;
            });
            try (stream) {
                await("a quarter in the queue").atMost(Duration.ofSeconds(60))
                        .until(() -> queueDepth() >= EVENTS / 4);
                String produced = stream.done() + "/" + EVENTS;
                rabbit.stop();
                log.info("kafka->rabbit: node stopped after {} produced", produced);
                rabbit.start();
                long depthAtRestart = queueDepth();
                await("the bridge delivers again after the node restart").atMost(Duration.ofSeconds(60))
                        .until(() -> queueDepth() > depthAtRestart);
                log.info("kafka->rabbit: bridge killed at depth {} ({} produced)", queueDepth(), stream.done());
                bridge.kill();
                bridge = startBridge();
                await("the whole stream in Kafka").atMost(Duration.ofSeconds(60)).until(stream::finished);
            }
            await("the bridge committed the whole topic").atMost(CATCH_UP).pollInterval(Duration.ofMillis(500))
                    .until(() -> lag(EVENTS_TOPIC) == 0);
        }

        Map<String, Integer> delivered = drainDelivered(run);
        report("kafka->rabbit", ids, delivered, 0, started);
        assertThat(ids).as("ids that never reached RabbitMQ").allSatisfy(id -> assertThat(delivered).containsKey(id));
    }

    /**
     * RabbitMQ → Kafka. The test publishes with confirms and publishes again what was not confirmed
     * (the node was down); the same faults; every id must reach the Kafka topic, read from its end as it
     * was before the first publish.
     */
    @Test
    void rabbitToKafkaLosesNothingThroughABrokerRestartAndABridgeCrash() throws Exception {
        long started = System.nanoTime();
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = IntStream.range(0, EVENTS).mapToObj(i -> "r2k-" + run + "-" + i).toList();
        try (TopicWatch kafka = TopicWatch.fromEnd(COMMANDS_TOPIC, "r2k-" + run + "-");
                ConfirmedPublisher publisher = new ConfirmedPublisher(ids)) {
            Feed stream = new Feed(ids.size(), publisher::publish);
            try (stream) {
                await("a quarter in Kafka").atMost(Duration.ofSeconds(60))
                        .until(() -> kafka.poll().size() >= EVENTS / 4);
                String published = stream.done() + "/" + EVENTS;
                rabbit.stop();
                log.info("rabbit->kafka: node stopped after {} published", published);
                rabbit.start();
                int seenAtRestart = kafka.poll().size();
                await("the bridge carries commands again after the node restart").atMost(Duration.ofSeconds(60))
                        .until(() -> kafka.poll().size() > seenAtRestart);
                log.info("rabbit->kafka: bridge killed at {} unique ({} published)", kafka.poll().size(),
                        stream.done());
                bridge.kill();
                bridge = startBridge();
                await("every command published and confirmed").atMost(Duration.ofSeconds(120))
                        .until(stream::finished);
            }
            // The bridge acks a command only after Kafka acked it: an empty queue (ready and unacked) means
            // every copy it will ever write is in the topic; then the watch reads up to the topic's end.
            await("the commands queue empty").atMost(CATCH_UP).pollInterval(Duration.ofMillis(500))
                    .until(() -> commandsQueueMessages() == 0);
            kafka.readToEnd();
            report("rabbit->kafka", ids, kafka.counts(), publisher.republished(), started);
            Map<String, Integer> delivered = kafka.counts();
            assertThat(ids).as("ids that never reached Kafka").allSatisfy(id -> assertThat(delivered).containsKey(id));
        }
    }

    // ---------------------------------------------------------------------------------------------
    // The bridge

    private static ServiceProcess startBridge() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SERVER_PORT", PORT);
        env.put("MANAGEMENT_SERVER_PORT", MANAGEMENT_PORT);
        env.put("SPRING_RABBITMQ_HOST", rabbit.host());
        env.put("SPRING_RABBITMQ_PORT", Integer.toString(rabbit.port()));
        env.put("SPRING_KAFKA_CONSUMER_GROUPID", group);
        env.put("SPRING_KAFKA_CONSUMER_AUTOOFFSETRESET", "latest");
        // After a kill -9 the group waits for the dead member's session to expire before the restarted
        // bridge gets the partitions: 6 s (the broker's minimum) instead of 45.
        env.put("SPRING_KAFKA_CONSUMER_PROPERTIES_SESSION_TIMEOUT_MS", "6000");
        env.put("SPRING_KAFKA_CONSUMER_PROPERTIES_HEARTBEAT_INTERVAL_MS", "1500");
        // The test routes (the whole list: a list from the environment replaces the one in application.yaml).
        env.put("TU_BRIDGE_ROUTES_0_DIRECTION", "KAFKA_TO_RABBIT");
        env.put("TU_BRIDGE_ROUTES_0_TOPIC", EVENTS_TOPIC);
        env.put("TU_BRIDGE_ROUTES_0_EXCHANGE", Exchanges.EVENTS);
        env.put("TU_BRIDGE_ROUTES_1_DIRECTION", "RABBIT_TO_KAFKA");
        env.put("TU_BRIDGE_ROUTES_1_TOPIC", COMMANDS_TOPIC);
        env.put("TU_BRIDGE_ROUTES_1_EXCHANGE", Exchanges.COMMANDS);
        long t0 = System.nanoTime();
        ServiceProcess started = Suite.startOne(Service.BRIDGE, env);
        log.info("messaging-bridge ready in {} ms (pid {})", (System.nanoTime() - t0) / 1_000_000, started.pid());
        return started;
    }

    /**
     * With auto-offset-reset=latest a fresh group skips what is produced before it has positions: one
     * sentinel per partition, again each poll, until one from every partition has crossed. That also
     * gives every partition a committed offset, so the restarted bridge resumes where this one stopped.
     */
    private static void bridgeReadsTheTopic(KafkaProducer<String, byte[]> producer, String run) throws Exception {
        int partitions = producer.partitionsFor(EVENTS_TOPIC).size();
        Set<Integer> crossed = ConcurrentHashMap.newKeySet();
        AtomicInteger round = new AtomicInteger();
        await("the bridge consumes " + EVENTS_TOPIC).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> {
                    int r = round.incrementAndGet();
                    for (int p = 0; p < partitions; p++) {
                        if (!crossed.contains(p)) {
                            ProducerRecord<String, byte[]> sentinel = event("sentinel-" + run + "-" + p + "-" + r);
                            producer.send(new ProducerRecord<>(EVENTS_TOPIC, p, (String) null, sentinel.value(),
                                    sentinel.headers()));
                        }
                    }
                    producer.flush();
                    try (Connection connection = amqp.newConnection("noloss-sentinel");
                            Channel channel = connection.createChannel()) {
                        GetResponse response;
                        while ((response = channel.basicGet(DELIVERED_QUEUE, true)) != null) {
                            String id = response.getProps().getMessageId();
                            if (id != null && id.startsWith("sentinel-" + run + "-")) {
                                crossed.add(Integer.parseInt(id.split("-")[2]));
                            }
                        }
                    }
                    return crossed.size() == partitions;
                });
        // Sentinels of later rounds may still cross after this: drainDelivered() ignores them.
        committingGroup = bridgeGroup();
    }

    /** Records of {@code topic} the bridge's group has not committed yet. */
    private static long lag(String topic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed =
                admin.listConsumerGroupOffsets(committingGroup).partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                .forEach(info -> latest.put(new TopicPartition(topic, info.partition()), OffsetSpec.latest()));
        long lag = 0;
        for (var end : admin.listOffsets(latest).all().get().entrySet()) {
            OffsetAndMetadata at = committed.get(end.getKey());
            lag += end.getValue().offset() - (at == null ? 0 : at.offset());
        }
        return lag;
    }

    /**
     * The consumer group whose members hold {@value #EVENTS_TOPIC}: the one the bridge was given, unless
     * the bridge uses another (a {@code @KafkaListener} id is its group unless {@code idIsGroup = false}).
     */
    private static String bridgeGroup() throws Exception {
        List<String> groups = admin.listGroups(ListGroupsOptions.forConsumerGroups()).all().get().stream()
                .map(GroupListing::groupId).toList();
        List<String> holding = admin.describeConsumerGroups(groups).all().get().values().stream()
                .filter(description -> description.members().stream().anyMatch(member -> member.assignment()
                        .topicPartitions().stream().anyMatch(partition -> partition.topic().equals(EVENTS_TOPIC))))
                .map(ConsumerGroupDescription::groupId).toList();
        assertThat(holding).as("groups consuming %s", EVENTS_TOPIC).hasSize(1);
        if (!holding.getFirst().equals(group)) {
            log.warn("The bridge consumes in group '{}', not in the group it was configured with ('{}')",
                    holding.getFirst(), group);
        }
        return holding.getFirst();
    }

    // ---------------------------------------------------------------------------------------------
    // RabbitMQ side

    /** Ready messages in the delivered queue; 0 while the node is down (it is only a trigger). */
    private static long queueDepth() {
        try (Connection connection = amqp.newConnection("noloss-depth"); Channel channel = connection.createChannel()) {
            return channel.queueDeclarePassive(DELIVERED_QUEUE).getMessageCount();
        } catch (IOException | TimeoutException e) {
            return 0;
        }
    }

    /** Ready plus unacknowledged messages in the bridge's commands queue. */
    private static long commandsQueueMessages() {
        String out = rabbit.rabbitmqctl("list_queues", "-q", "--no-table-headers", "name", "messages");
        return out.lines().map(String::strip).filter(line -> line.startsWith(COMMANDS_QUEUE + "\t")
                        || line.startsWith(COMMANDS_QUEUE + " "))
                .mapToLong(line -> Long.parseLong(line.substring(COMMANDS_QUEUE.length()).strip()))
                .findFirst().orElseThrow(() -> new IllegalStateException("no " + COMMANDS_QUEUE + " in " + out));
    }

    /** Every message in the delivered queue, counted by event id (this run's only). */
    private static Map<String, Integer> drainDelivered(String run) throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        try (Connection connection = amqp.newConnection("noloss-drain"); Channel channel = connection.createChannel()) {
            GetResponse response;
            while ((response = channel.basicGet(DELIVERED_QUEUE, false)) != null) {
                String id = response.getProps().getMessageId();
                Object header = response.getProps().getHeaders() == null ? null
                        : response.getProps().getHeaders().get("cloudEvents_id");
                assertThat(header).as("cloudEvents_id of %s", id).hasToString(id);
                if (id.startsWith("k2r-" + run + "-")) {
                    counts.merge(id, 1, Integer::sum);
                }
                channel.basicAck(response.getEnvelope().getDeliveryTag(), false);
            }
            assertThat(channel.queueDeclarePassive(DELIVERED_QUEUE).getMessageCount()).isZero();
        }
        return counts;
    }

    /** Publishes slices with confirms; a slice that is not confirmed is published again, whole. */
    private static final class ConfirmedPublisher implements AutoCloseable {

        private final List<String> ids;
        private final AtomicInteger republished = new AtomicInteger();
        private final Set<Integer> triedOnce = ConcurrentHashMap.newKeySet();
        private boolean failing;
        private Connection connection;
        private Channel channel;

        ConfirmedPublisher(List<String> ids) {
            this.ids = ids;
        }

        /** True once the broker confirmed every message of the slice; false (try again) otherwise. */
        synchronized boolean publish(List<Integer> slice) {
            try {
                if (channel == null || !channel.isOpen()) {
                    closeQuietly();
                    connection = amqp.newConnection("noloss-publisher");
                    channel = connection.createChannel();
                    channel.confirmSelect();
                }
                for (int i : slice) {
                    if (!triedOnce.add(i)) {
                        republished.incrementAndGet();
                    }
                    channel.basicPublish(Exchanges.COMMANDS, COMMANDS_TOPIC, true, command(ids.get(i)),
                            ("{\"imageId\":\"" + ids.get(i) + "\",\"attempt\":1}").getBytes(StandardCharsets.UTF_8));
                }
                channel.waitForConfirmsOrDie(5_000);
                if (failing) {
                    log.info("rabbit->kafka: the test publisher is confirmed again from index {}", slice.getFirst());
                    failing = false;
                }
                return true;
            } catch (Exception notConfirmed) {
                if (!failing) {
                    log.info("rabbit->kafka: slice from index {} not confirmed ({}); publishing it again until it is",
                            slice.getFirst(), notConfirmed.toString());
                    failing = true;
                }
                closeQuietly();
                return false;
            }
        }

        int republished() {
            return republished.get();
        }

        private void closeQuietly() {
            try {
                if (connection != null) {
                    connection.abort(1000);
                }
            } finally {
                connection = null;
                channel = null;
            }
        }

        @Override
        public synchronized void close() {
            closeQuietly();
        }

        private static AMQP.BasicProperties command(String id) {
            return new AMQP.BasicProperties.Builder()
                    .contentType("application/json")
                    .deliveryMode(2)
                    .messageId(id)
                    .headers(Map.of(
                            "cloudEvents_id", id,
                            "cloudEvents_type", COMMANDS_TOPIC,
                            "cloudEvents_specversion", "1.0",
                            "cloudEvents_source", "/tu/system-tests/noloss",
                            "cloudEvents_subject", id,
                            "cloudEvents_tenant", "acme",
                            "traceparent", "00-2af7651916cd43dd8448eb211c80319c-d7ad6b7169203331-01"))
                    .build();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Kafka side

    private static KafkaProducer<String, byte[]> producer() {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    private static ProducerRecord<String, byte[]> event(String id) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(EVENTS_TOPIC, id,
                ("{\"imageId\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
        header(record, "ce_id", id);
        header(record, "ce_type", EVENTS_TOPIC);
        header(record, "ce_source", "/tu/system-tests/noloss");
        header(record, "ce_specversion", "1.0");
        header(record, "ce_subject", id);
        header(record, "ce_tenant", "acme");
        header(record, "ce_datacontenttype", "application/json");
        header(record, "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        return record;
    }

    private static void header(ProducerRecord<String, byte[]> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The topic from its end as it is when created (no group, no commits), counting records by their
     * {@code ce_id} header. KafkaProbe keeps records but hands out only keys or records of one key, which
     * cannot count the copies of ten thousand ids.
     */
    private static final class TopicWatch implements AutoCloseable {

        private final KafkaConsumer<String, byte[]> consumer;
        private final List<TopicPartition> partitions;
        private final String prefix;
        private final Map<String, Integer> counts = new HashMap<>();

        private TopicWatch(KafkaConsumer<String, byte[]> consumer, List<TopicPartition> partitions, String prefix) {
            this.consumer = consumer;
            this.partitions = partitions;
            this.prefix = prefix;
        }

        static TopicWatch fromEnd(String topic, String prefix) {
            Properties config = new Properties();
            config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            KafkaConsumer<String, byte[]> consumer =
                    new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            return new TopicWatch(consumer, partitions, prefix);
        }

        /** Polls what is there now; the counts so far. */
        synchronized Map<String, Integer> poll() {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                Header id = record.headers().lastHeader("ce_id");
                String value = id == null ? null : new String(id.value(), StandardCharsets.UTF_8);
                if (value != null && value.startsWith(prefix)) {
                    counts.merge(value, 1, Integer::sum);
                }
            }
            return Map.copyOf(counts);
        }

        /** Polls until the consumer's position is the topic's end on every partition. */
        void readToEnd() {
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            await("the topic read to its end").atMost(Duration.ofSeconds(60)).until(() -> {
                poll();
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
        }

        synchronized Map<String, Integer> counts() {
            return Map.copyOf(counts);
        }

        @Override
        public void close() {
            consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(2)));
        }
    }

    // ---------------------------------------------------------------------------------------------
    // The stream and the report

    /** Feeds slices of the N indexes on a timer; a slice that fails is offered again on the next tick. */
    private static final class Feed implements AutoCloseable {

        interface Sink {
            boolean accept(List<Integer> slice) throws Exception;
        }

        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "noloss-stream");
            thread.setDaemon(true);
            return thread;
        });
        private final AtomicInteger next = new AtomicInteger();
        private final int total;

        Feed(int total, Sink sink) {
            this.total = total;
            int slice = Math.max(1, (total + 99) / 100);
            timer.scheduleWithFixedDelay(() -> {
                int from = next.get();
                if (from >= total) {
                    return;
                }
                List<Integer> indexes = IntStream.range(from, Math.min(total, from + slice)).boxed().toList();
                try {
                    if (sink.accept(indexes)) {
                        next.set(from + indexes.size());
                    }
                } catch (Exception e) {
                    log.warn("stream slice at {} failed, trying again: {}", from, e.toString());
                }
            }, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
        }

        int done() {
            return next.get();
        }

        boolean finished() {
            return next.get() >= total;
        }

        @Override
        public void close() throws InterruptedException {
            timer.shutdownNow();
            timer.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private static void report(String direction, List<String> ids, Map<String, Integer> delivered, int republished,
            long startedNanos) {
        long unique = ids.stream().filter(delivered::containsKey).count();
        long copies = ids.stream().mapToLong(id -> delivered.getOrDefault(id, 0)).sum();
        List<String> missing = ids.stream().filter(id -> !delivered.containsKey(id)).limit(10)
                .collect(Collectors.toCollection(ArrayList::new));
        String line = "%s: sent=%d delivered_unique=%d duplicates=%d%s wall=%.1fs".formatted(direction, ids.size(),
                unique, copies - unique, republished > 0 ? " (test publisher re-sent " + republished + ")" : "",
                (System.nanoTime() - startedNanos) / 1e9);
        System.out.println(line);
        log.info(line);
        if (!missing.isEmpty()) {
            System.out.println(direction + ": first missing ids " + missing);
        }
    }
}
