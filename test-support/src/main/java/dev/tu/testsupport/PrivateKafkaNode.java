package dev.tu.testsupport;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka broker of a test's own (KRaft, broker and controller in one process, single voter), for
 * fault tests that stop and start it: the shared broker on 9092 is never touched. It runs the Kafka
 * that {@code scripts/infra.sh} caches under {@code ~/.cache/tu/kafka-<version>}, with the settings of
 * {@code infra/kafka/server.properties} but its own ports and data under {@link #directory()}. The data
 * survive {@link #stop()}/{@link #start()}; {@link #create} starts from an empty directory.
 */
public final class PrivateKafkaNode implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PrivateKafkaNode.class);
    private static final String HOST = "127.0.0.1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final Path directory;
    private final Path kafkaHome;
    private final Path log4j;
    private final int port;
    private Process process;

    private PrivateKafkaNode(Path directory, Path kafkaHome, Path log4j, int port) {
        this.directory = directory;
        this.kafkaHome = kafkaHome;
        this.log4j = log4j;
        this.port = port;
    }

    /**
     * A broker on 127.0.0.1:{@code port} (its controller on {@code port + 1}) with an empty, formatted
     * data directory under {@code directory}. Not started yet.
     */
    public static PrivateKafkaNode create(Path directory, int port) {
        if (port == 9092 || port == 9093) {
            throw new IllegalArgumentException(port + " is the shared broker's");
        }
        SuiteLayout layout = SuiteLayout.locate();
        PrivateKafkaNode node = new PrivateKafkaNode(directory.toAbsolutePath().normalize(), kafkaHome(),
                layout.root().resolve("infra/kafka/log4j2.xml"), port);
        node.prepare();
        return node;
    }

    /** The newest Kafka under {@code ~/.cache/tu} ({@code ./dev infra} downloads it). */
    private static Path kafkaHome() {
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "tu");
        try (Stream<Path> entries = Files.list(cache)) {
            return entries.filter(path -> path.getFileName().toString().matches("kafka-\\d.*"))
                    .filter(path -> Files.isDirectory(path.resolve("libs")))
                    .max(Comparator.comparing(path -> path.getFileName().toString()))
                    .orElseThrow(() -> new IllegalStateException("No Kafka under " + cache + ": run ./dev infra"));
        } catch (IOException e) {
            throw new UncheckedIOException("No Kafka cache at " + cache + ": run ./dev infra", e);
        }
    }

    private void prepare() {
        try {
            if (Files.exists(directory)) {
                try (Stream<Path> all = Files.walk(directory)) {
                    all.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                }
            }
            Files.createDirectories(directory.resolve("data"));
            Files.writeString(properties(), """
                    # PrivateKafkaNode: a fault-test broker, loopback only.
                    process.roles=broker,controller
                    node.id=1
                    controller.quorum.bootstrap.servers=%1$s:%3$d
                    controller.listener.names=CONTROLLER
                    listeners=PLAINTEXT://%1$s:%2$d,CONTROLLER://%1$s:%3$d
                    advertised.listeners=PLAINTEXT://%1$s:%2$d,CONTROLLER://%1$s:%3$d
                    inter.broker.listener.name=PLAINTEXT
                    listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
                    log.dirs=%4$s
                    auto.create.topics.enable=false
                    num.partitions=3
                    default.replication.factor=1
                    min.insync.replicas=1
                    offsets.topic.replication.factor=1
                    offsets.topic.num.partitions=3
                    transaction.state.log.replication.factor=1
                    transaction.state.log.min.isr=1
                    share.coordinator.state.topic.replication.factor=1
                    share.coordinator.state.topic.min.isr=1
                    group.initial.rebalance.delay.ms=0
                    num.network.threads=2
                    num.io.threads=2
                    num.recovery.threads.per.data.dir=1
                    """.formatted(HOST, port, port + 1, directory.resolve("data")));
            int formatted = java("kafka.tools.StorageTool", "format", "--standalone", "-t",
                    Uuid.randomUuid().toString(), "-c", properties().toString())
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                    .start().waitFor();
            if (formatted != 0) {
                throw new IllegalStateException("Formatting the storage failed:\n" + tail());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare " + directory, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts the broker and waits until it answers an admin request. */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        try {
            process = java("kafka.Kafka", properties().toString())
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start Kafka", e);
        }
        log.info("Starting private Kafka broker on {}:{} (pid {}, files in {})", HOST, port, process.pid(), directory);
        Process started = process;
        await("private Kafka on " + port).atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(500))
                .failFast(() -> {
                    if (!started.isAlive()) {
                        throw new IllegalStateException("Kafka exited with " + started.exitValue() + ":\n" + tail());
                    }
                })
                .ignoreExceptions().until(this::answers);
        log.info("Private Kafka broker on {} ready", port);
    }

    private boolean answers() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                2000))) {
            return !admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty();
        }
    }

    /** Stops the broker cleanly (SIGTERM: a controlled shutdown) and waits until it is gone. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        log.info("Stopping private Kafka broker on {} (pid {})", port, process.pid());
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                log.warn("Kafka ignored SIGTERM for 60 s; killing it");
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** {@code 127.0.0.1:port}. */
    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    /** Where its config, data and log are. */
    public Path directory() {
        return directory;
    }

    @Override
    public void close() {
        stop();
    }

    private ProcessBuilder java(String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms128m", "-Xmx384m", "-XX:+UseG1GC", "-Djava.awt.headless=true",
                "-Djava.net.preferIPv4Stack=true", "--sun-misc-unsafe-memory-access=allow",
                "-Dlog4j2.configurationFile=" + log4j, "-cp", kafkaHome.resolve("libs") + "/*", mainClass));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    }

    private Path properties() {
        return directory.resolve("server.properties");
    }

    private Path logFile() {
        return directory.resolve("kafka.log");
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(logFile(), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
