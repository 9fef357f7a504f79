package dev.tu.testsupport;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One service running as its own process, as the chart would run it. */
public final class ServiceProcess implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServiceProcess.class);
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Service service;
    private final Process process;
    private final Path logFile;
    private final int port;
    private final int managementPort;

    private ServiceProcess(Service service, Process process, Path logFile, int port, int managementPort) {
        this.service = service;
        this.process = process;
        this.logFile = logFile;
        this.port = port;
        this.managementPort = managementPort;
    }

    /**
     * Starts {@code service} from its jar with its env file; does not wait for readiness.
     *
     * @param extraEnv overrides on top of the env file, for tests that need one (rarely)
     */
    public static ServiceProcess start(Service service, SuiteLayout layout, Path logDir, Map<String, String> extraEnv) {
        Map<String, String> env = new java.util.LinkedHashMap<>(
                EnvFile.read(layout.envFile(service), layout.infrastructure()));
        env.putAll(extraEnv);
        int port = Integer.parseInt(env.get("SERVER_PORT"));
        int managementPort = Integer.parseInt(env.get("MANAGEMENT_SERVER_PORT"));
        refuseBusyPort(service, port);
        refuseBusyPort(service, managementPort);

        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions(layout));
        command.add("-jar");
        command.add(layout.jar(service).toString());
        try {
            Files.createDirectories(logDir);
            // One file per service and port: two replicas never interleave; a restart appends to its own.
            Path logFile = logDir.resolve(service.id() + "-" + port + ".log");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            builder.environment().putAll(env);
            Process process = builder.start();
            log.info("Started {} (pid {}) on {} / management {}, log {}", service.id(), process.pid(), port,
                    managementPort, logFile);
            return new ServiceProcess(service, process, logFile, port, managementPort);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + service.id(), e);
        }
    }

    /** Waits until the readiness group answers 200; fails early, with the log's tail, if the process dies. */
    public void awaitReady(Duration timeout) {
        await(service.id() + " readiness").atMost(timeout).pollInterval(Duration.ofMillis(250))
                .failFast(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(service.id() + " exited with " + process.exitValue()
                                + " before it was ready:\n" + logTail(40));
                    }
                })
                .until(() -> probe("/actuator/health/readiness") == 200);
    }

    /** Status code of a GET on the management port, or -1 while nothing listens. */
    public int probe(String path) {
        try {
            HttpRequest request = HttpRequest.newBuilder(managementUri().resolve(path))
                    .timeout(Duration.ofSeconds(2)).GET().build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (ConnectException e) {
            return -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Where its stdout and stderr go (JSON log lines). */
    public Path logFile() {
        return logFile;
    }

    /** The service. */
    public Service service() {
        return service;
    }

    /** Base URI of the service's API. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    /** Base URI of the management server (actuator). */
    public URI managementUri() {
        return URI.create("http://127.0.0.1:" + managementPort + "/");
    }

    /** The process id, e.g. for kill -9 in fault tests. */
    public long pid() {
        return process.pid();
    }

    /** Whether the process still runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** The last {@code lines} lines of the service's log. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGKILL: no shutdown hooks, no graceful anything — a crash. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends SIGTERM and returns at once; {@link #close()} waits for the exit. */
    public void terminate() {
        if (process.isAlive()) {
            process.destroy();
        }
    }

    /**
     * SIGTERM, as Kubernetes sends a pod on a rolling update, then waits up to {@code grace} (its
     * termination grace period); true when it exited on its own, false when it had to be killed.
     */
    public boolean stopWithin(java.time.Duration grace) {
        process.destroy();
        try {
            if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return false;
        }
    }

    /** SIGTERM, then SIGKILL if it has not finished its graceful shutdown in 30 s. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                log.warn("{} ignored SIGTERM for 30 s; killing it", service.id());
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /**
     * The JVM options of {@code deploy/env/jvm.options} (start-up first: C1 only, small heaps), unless the
     * system property {@code tu.service.jvm.options} replaces them, as benchmarks do to measure steady state.
     */
    private static List<String> jvmOptions(SuiteLayout layout) {
        String replaced = System.getProperty("tu.service.jvm.options");
        if (replaced != null && !replaced.isBlank()) {
            return List.of(replaced.strip().split("\\s+"));
        }
        try {
            return List.of(Files.readString(layout.jvmOptions()).strip().split("\\s+"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + layout.jvmOptions(), e);
        }
    }

    private static void refuseBusyPort(Service service, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            throw new IllegalStateException("Port " + port + " for " + service.id()
                    + " is already in use: is the local suite running? Stop it with ./dev down");
        } catch (IOException free) {
            // Nothing listens: the port is ours.
        }
    }
}
