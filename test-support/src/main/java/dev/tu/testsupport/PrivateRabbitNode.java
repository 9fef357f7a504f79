package dev.tu.testsupport;

import static org.awaitility.Awaitility.await;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A RabbitMQ node of a test's own, for fault tests that stop, restart or kill the broker: the machine's
 * node ({@code rabbit@…} on 5672) is never touched.
 *
 * <p>It runs the machine's RabbitMQ (Debian's {@code rabbitmq-server}, 3.10) as a second node, as the
 * current user (root included: the Debian wrapper in {@code /usr/sbin} would switch to the
 * {@code rabbitmq} user and that user's data, so the scripts in {@code /usr/lib/rabbitmq/bin} are called
 * directly). Everything of the node is under {@link #directory()}: its config, enabled-plugins file (no
 * plugins: no management listener), data ({@code RABBITMQ_MNESIA_BASE}), logs, pid file, and a
 * {@code HOME} with its own Erlang cookie. The Debian env file {@code /etc/rabbitmq/rabbitmq-env.conf}
 * (which names the shared node) is replaced by an empty one of ours. AMQP listens on 127.0.0.1 only, the
 * Erlang distribution port too ({@code inet_dist_use_interface}); the node registers its name with the
 * machine's epmd (loopback, {@code ERL_EPMD_ADDRESS=127.0.0.1}), which Erlang starts if none runs.
 *
 * <p>The data survive {@link #stop()}/{@link #start()} and {@link #kill()}/{@link #start()} (that is the
 * point: durable queues and persistent messages must come back); {@link #create} starts from an empty
 * directory. {@link #close()} stops the node if it runs, always, by its PID.
 */
public final class PrivateRabbitNode implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PrivateRabbitNode.class);

    /** BRIEF 8b: the private RabbitMQ node of fault tests. */
    public static final int DEFAULT_PORT = 5673;

    private static final String HOST = "127.0.0.1";
    private static final Path SCRIPTS = Path.of("/usr/lib/rabbitmq/bin");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final Path directory;
    private final String nodeName;
    private final int port;
    private final int distributionPort;

    private Process wrapper;
    private ProcessHandle node;

    private PrivateRabbitNode(Path directory, String nodeName, int port, int distributionPort) {
        this.directory = directory;
        this.nodeName = nodeName;
        this.port = port;
        this.distributionPort = distributionPort;
    }

    /** A node {@code tu-fault@localhost} on 127.0.0.1:5673 with its files under {@code directory}. */
    public static PrivateRabbitNode create(Path directory) {
        return create(directory, "tu-fault@localhost", DEFAULT_PORT);
    }

    /**
     * A node with an empty data directory under {@code directory} (whatever was there is deleted, after a
     * node left running there by an earlier, crashed run is stopped). Not started yet.
     *
     * @param nodeName its Erlang node name, {@code name@localhost}; never the machine's {@code rabbit@…}
     * @param port     its AMQP port on 127.0.0.1; the distribution port is this plus 20000
     */
    public static PrivateRabbitNode create(Path directory, String nodeName, int port) {
        if (nodeName.startsWith("rabbit@") || !nodeName.contains("@")) {
            throw new IllegalArgumentException("Not a private node name: " + nodeName);
        }
        if (port == 5672) {
            throw new IllegalArgumentException("5672 is the machine's node");
        }
        if (!Files.isExecutable(SCRIPTS.resolve("rabbitmq-server"))) {
            throw new IllegalStateException("No RabbitMQ server at " + SCRIPTS + ": apt-get install -y rabbitmq-server");
        }
        PrivateRabbitNode node = new PrivateRabbitNode(directory.toAbsolutePath().normalize(), nodeName, port,
                port + 20000);
        node.stopLeftover();
        node.prepareDirectory();
        return node;
    }

    /** Starts the node and waits until it speaks AMQP on its port. */
    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        refuseBusyPort(port);
        refuseBusyPort(distributionPort);
        try {
            Files.deleteIfExists(pidFile());
            ProcessBuilder builder = new ProcessBuilder(SCRIPTS.resolve("rabbitmq-server").toString())
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("node.out").toFile()));
            environment(builder.environment());
            wrapper = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start RabbitMQ node " + nodeName, e);
        }
        log.info("Starting private RabbitMQ node {} on {}:{} (files in {})", nodeName, HOST, port, directory);
        Process started = wrapper;
        await(nodeName + " speaks AMQP on " + port).atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(200))
                .failFast(() -> {
                    if (!started.isAlive()) {
                        throw new IllegalStateException("RabbitMQ node " + nodeName + " exited with "
                                + started.exitValue() + ":\n" + tail(directory.resolve("node.out"), 30));
                    }
                })
                .until(() -> speaksAmqp(port));
        node = nodeProcess().orElseThrow(() -> new IllegalStateException("No pid file " + pidFile()));
        log.info("Private RabbitMQ node {} ready (pid {})", nodeName, node.pid());
    }

    /** Stops the node cleanly (SIGTERM: RabbitMQ's orderly shutdown) and waits until it is gone. */
    public synchronized void stop() {
        if (node == null) {
            return;
        }
        if (node.isAlive()) {
            log.info("Stopping private RabbitMQ node {} (pid {})", nodeName, node.pid());
            node.destroy();
            if (!waitForExit(node, STOP_TIMEOUT)) {
                log.warn("RabbitMQ node {} ignored SIGTERM for {}; killing it", nodeName, STOP_TIMEOUT);
                node.destroyForcibly();
                waitForExit(node, Duration.ofSeconds(10));
            }
        }
        reapWrapper();
    }

    /** SIGKILL: no orderly shutdown — a crash of the broker. */
    public synchronized void kill() {
        if (node == null) {
            return;
        }
        log.info("Killing private RabbitMQ node {} (pid {}, SIGKILL)", nodeName, node.pid());
        node.destroyForcibly();
        waitForExit(node, Duration.ofSeconds(10));
        reapWrapper();
    }

    /** {@link #stop()} then {@link #start()}, on the same data. */
    public synchronized void restart() {
        stop();
        start();
    }

    /** Whether the node's VM runs (it may still be booting). */
    public synchronized boolean isRunning() {
        return node != null && node.isAlive() || wrapper != null && wrapper.isAlive();
    }

    /** The AMQP port on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** The host the node listens on. */
    public String host() {
        return HOST;
    }

    /** The Erlang node name, e.g. for {@code rabbitmqctl -n}. */
    public String nodeName() {
        return nodeName;
    }

    /** Where the node's config, data and logs are. */
    public Path directory() {
        return directory;
    }

    /** The PID of the node's Erlang VM while it runs. */
    public synchronized OptionalLong pid() {
        return node != null && node.isAlive() ? OptionalLong.of(node.pid()) : OptionalLong.empty();
    }

    /**
     * Runs {@code rabbitmqctl -n <this node> ARGS} (with this node's cookie) and returns its output, e.g.
     * {@code rabbitmqctl("list_queues", "-q", "name", "messages")}; fails unless it exits 0.
     */
    public String rabbitmqctl(String... args) {
        List<String> command = new ArrayList<>(List.of(SCRIPTS.resolve("rabbitmqctl").toString(), "-n", nodeName));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        environment(builder.environment());
        try {
            Process ctl = builder.start();
            ctl.getOutputStream().close();
            byte[] output = ctl.getInputStream().readAllBytes();
            if (!ctl.waitFor(60, TimeUnit.SECONDS)) {
                ctl.destroyForcibly();
                throw new IllegalStateException("rabbitmqctl " + String.join(" ", args) + " did not finish");
            }
            String text = new String(output, StandardCharsets.UTF_8);
            if (ctl.exitValue() != 0) {
                throw new IllegalStateException("rabbitmqctl " + String.join(" ", args) + " exited with "
                        + ctl.exitValue() + ": " + text);
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run rabbitmqctl", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running rabbitmqctl", e);
        }
    }

    /** Stops the node if it runs; safe to call more than once. */
    @Override
    public synchronized void close() {
        try {
            stop();
        } finally {
            if (wrapper != null && wrapper.isAlive()) {
                // Still booting when stop() came: there was no node PID to signal yet.
                wrapper.descendants().forEach(ProcessHandle::destroyForcibly);
                wrapper.destroyForcibly();
                reapWrapper();
            }
        }
    }

    // -------------------------------------------------------------------------------------------

    private void environment(Map<String, String> env) {
        // Nothing of the caller's RabbitMQ/Erlang settings may point this node at the shared one.
        env.keySet().removeIf(name -> name.startsWith("RABBITMQ_") || name.startsWith("ERL_")
                || name.equals("NODENAME") || name.equals("CONFIG_FILE"));
        env.put("HOME", directory.resolve("home").toString());
        env.put("LANG", "C.UTF-8");
        env.put("LC_ALL", "C.UTF-8");
        env.put("RABBITMQ_NODENAME", nodeName);
        env.put("RABBITMQ_NODE_IP_ADDRESS", HOST);
        env.put("RABBITMQ_NODE_PORT", Integer.toString(port));
        env.put("RABBITMQ_DIST_PORT", Integer.toString(distributionPort));
        env.put("RABBITMQ_CONF_ENV_FILE", directory.resolve("rabbitmq-env.conf").toString());
        env.put("RABBITMQ_CONFIG_FILE", directory.resolve("rabbitmq.conf").toString());
        env.put("RABBITMQ_ADVANCED_CONFIG_FILE", directory.resolve("advanced.config").toString());
        env.put("RABBITMQ_ENABLED_PLUGINS_FILE", directory.resolve("enabled_plugins").toString());
        env.put("RABBITMQ_MNESIA_BASE", directory.resolve("data").toString());
        env.put("RABBITMQ_LOG_BASE", directory.resolve("log").toString());
        env.put("RABBITMQ_PID_FILE", pidFile().toString());
        env.put("ERL_EPMD_ADDRESS", HOST);
        env.put("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", "-kernel inet_dist_use_interface {127,0,0,1}");
    }

    private void prepareDirectory() {
        try {
            if (Files.exists(directory)) {
                try (Stream<Path> all = Files.walk(directory)) {
                    all.sorted(Comparator.reverseOrder()).forEach(PrivateRabbitNode::delete);
                }
            }
            Files.createDirectories(directory.resolve("home"));
            Files.createDirectories(directory.resolve("data"));
            Files.createDirectories(directory.resolve("log"));
            Files.writeString(directory.resolve("rabbitmq.conf"), """
                    # PrivateRabbitNode: a fault-test node, loopback only, no plugins.
                    listeners.tcp.local = %s:%d
                    loopback_users.guest = true
                    log.console = false
                    log.file.level = info
                    """.formatted(HOST, port));
            Files.writeString(directory.resolve("enabled_plugins"), "[].\n");
            Files.writeString(directory.resolve("rabbitmq-env.conf"),
                    "# PrivateRabbitNode: empty on purpose (not /etc/rabbitmq/rabbitmq-env.conf)\n");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare " + directory, e);
        }
    }

    /** A node of ours left by a run that died before close(): its pid file names it. */
    private void stopLeftover() {
        Optional<ProcessHandle> leftover = nodeProcess();
        if (leftover.isPresent()) {
            log.warn("A private RabbitMQ node {} from an earlier run still runs (pid {}); stopping it", nodeName,
                    leftover.get().pid());
            leftover.get().destroy();
            if (!waitForExit(leftover.get(), STOP_TIMEOUT)) {
                leftover.get().destroyForcibly();
                waitForExit(leftover.get(), Duration.ofSeconds(10));
            }
        }
    }

    /** The Erlang VM the pid file names, if it runs and is this node (command line names it). */
    private Optional<ProcessHandle> nodeProcess() {
        Path pidFile = pidFile();
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(this::isThisNode);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Its environment names this node and this directory (the command line does not name the node). */
    private boolean isThisNode(ProcessHandle process) {
        try {
            List<String> environment = List.of(Files.readString(
                    Path.of("/proc", Long.toString(process.pid()), "environ"), StandardCharsets.ISO_8859_1)
                    .split("\0"));
            return environment.contains("RABBITMQ_NODENAME=" + nodeName)
                    && environment.contains("RABBITMQ_MNESIA_BASE=" + directory.resolve("data"));
        } catch (IOException e) {
            return false;
        }
    }

    private Path pidFile() {
        return directory.resolve("node.pid");
    }

    private void reapWrapper() {
        if (wrapper != null) {
            try {
                if (!wrapper.waitFor(10, TimeUnit.SECONDS)) {
                    wrapper.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        wrapper = null;
        node = null;
    }

    private static boolean waitForExit(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /**
     * Whether an AMQP 0-9-1 server answers on the port: the protocol header gets a Connection.Start
     * method frame back (RabbitMQ opens its listeners only once it has booted).
     */
    static boolean speaksAmqp(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), 1000);
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            out.write(new byte[] {'A', 'M', 'Q', 'P', 0, 0, 9, 1});
            out.flush();
            InputStream in = socket.getInputStream();
            DataInputStream data = new DataInputStream(in);
            int frameType = data.readUnsignedByte();
            data.readUnsignedShort(); // channel
            data.readInt(); // size
            int classId = data.readUnsignedShort();
            int methodId = data.readUnsignedShort();
            return frameType == 1 && classId == 10 && methodId == 10;
        } catch (IOException e) {
            return false;
        }
    }

    private static void refuseBusyPort(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), 200);
            throw new IllegalStateException("Port " + port + " on " + HOST
                    + " is already in use: a private RabbitMQ node needs it free");
        } catch (IOException free) {
            // Nothing listens: the port is ours.
        }
    }

    private static void delete(Path path) {
        try {
            Files.delete(path);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + path, e);
        }
    }

    private static String tail(Path file, int lines) {
        try {
            List<String> all = new ArrayList<>(Files.readAllLines(file));
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }
}
