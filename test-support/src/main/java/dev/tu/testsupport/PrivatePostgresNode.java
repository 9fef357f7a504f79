package dev.tu.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL cluster of a test's own, for fault tests that stop and start the database: the machine's
 * cluster on 5432 is never touched. It runs the machine's PostgreSQL binaries ({@code initdb},
 * {@code pg_ctl} of the newest {@code /usr/lib/postgresql/<major>}) on a data directory under
 * {@code /tmp} (as the {@code postgres} user when run as root: PostgreSQL refuses to run as root),
 * listening on 127.0.0.1 only, with its socket in that directory. It has the roles and databases
 * {@code scripts/infra.sh} creates (tu_ingestion, tu_orchestrator, their dev-only passwords).
 */
public final class PrivatePostgresNode implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PrivatePostgresNode.class);

    private final Path directory;
    private final Path bin;
    private final int port;
    private boolean running;

    private PrivatePostgresNode(Path directory, Path bin, int port) {
        this.directory = directory;
        this.bin = bin;
        this.port = port;
    }

    /**
     * A new cluster on 127.0.0.1:{@code port} in {@code /tmp/tu-pg-<port>} (whatever was there is stopped
     * and deleted), started, with the project's roles and databases.
     */
    public static PrivatePostgresNode start(int port) {
        if (port == 5432) {
            throw new IllegalArgumentException("5432 is the machine's cluster");
        }
        PrivatePostgresNode node = new PrivatePostgresNode(Path.of("/tmp", "tu-pg-" + port), binaries(), port);
        node.create();
        node.start();
        try {
            // One statement per call: CREATE DATABASE cannot run in the transaction psql -c makes of several.
            node.psql("CREATE ROLE tu_ingestion LOGIN PASSWORD 'dev-only-ingestion'");
            node.psql("CREATE ROLE tu_orchestrator LOGIN PASSWORD 'dev-only-orchestrator'");
            node.psql("CREATE DATABASE tu_ingestion OWNER tu_ingestion");
            node.psql("CREATE DATABASE tu_orchestrator OWNER tu_orchestrator");
            return node;
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
    }

    private static Path binaries() {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.filter(path -> Files.isExecutable(path.resolve("bin/initdb")))
                    .max(Comparator.comparingInt(path -> Integer.parseInt(path.getFileName().toString())))
                    .map(path -> path.resolve("bin"))
                    .orElseThrow(() -> new IllegalStateException("No initdb under /usr/lib/postgresql"));
        } catch (IOException e) {
            throw new UncheckedIOException("No PostgreSQL under /usr/lib/postgresql: apt-get install postgresql", e);
        }
    }

    private void create() {
        Path data = directory.resolve("data");
        if (Files.isRegularFile(data.resolve("postmaster.pid"))) {
            run(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "stop");
        }
        try {
            if (Files.exists(directory)) {
                try (Stream<Path> all = Files.walk(directory)) {
                    all.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                }
            }
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare " + directory, e);
        }
        if (asRoot()) {
            run("chown", "postgres:postgres", directory.toString());
        }
        run(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "--auth-local=trust",
                "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8");
    }

    /** Starts the cluster and waits until it accepts connections. */
    public synchronized void start() {
        log.info("Starting private PostgreSQL on 127.0.0.1:{} ({})", port, directory);
        run(bin.resolve("pg_ctl").toString(), "-D", directory.resolve("data").toString(), "-w", "-t", "60",
                "-l", directory.resolve("postgres.log").toString(), "-o",
                "-p " + port + " -c listen_addresses=127.0.0.1 -k " + directory + " -c fsync=off"
                        + " -c max_connections=100 -c shared_buffers=32MB",
                "start");
        running = true;
    }

    /** Stops the cluster ({@code fast}: open sessions are cut, as a restart of a real one does). */
    public synchronized void stop() {
        if (!running) {
            return;
        }
        log.info("Stopping private PostgreSQL on {}", port);
        run(bin.resolve("pg_ctl").toString(), "-D", directory.resolve("data").toString(), "-w", "-t", "60",
                "-m", "fast", "stop");
        running = false;
    }

    /** A JDBC URL of one of its databases. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** Its port on 127.0.0.1. */
    public int port() {
        return port;
    }

    @Override
    public void close() {
        stop();
    }

    private void psql(String sql) {
        run(bin.resolve("psql").toString(), "-h", directory.toString(), "-p", Integer.toString(port), "-U",
                "postgres", "-v", "ON_ERROR_STOP=1", "-q", "-c", sql);
    }

    private static boolean asRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private void run(String... args) {
        List<String> command = new ArrayList<>();
        if (asRoot() && !args[0].equals("chown")) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).directory(new java.io.File("/tmp"))
                    .redirectErrorStream(true).start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", args) + " failed: "
                        + new String(output, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + args[0], e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
