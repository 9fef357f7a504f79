package dev.tu.testsupport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A set of services running as processes. All start at once (start-up dominates on two cores), then
 * each must answer readiness. Closing stops them in reverse order.
 */
public final class Suite implements AutoCloseable {

    // Generous: six JVMs starting at once on two busy cores can take minutes; a quiet machine needs ~1.
    private static final Duration READINESS_TIMEOUT = Duration.ofSeconds(360);

    private final Map<Service, ServiceProcess> processes;

    private Suite(Map<Service, ServiceProcess> processes) {
        this.processes = processes;
    }

    /** Starts the services with their env files and waits until every one is ready. */
    public static Suite start(Service... services) {
        SuiteLayout layout = SuiteLayout.locate();
        Path logDir = layout.root().resolve("system-tests/target/service-logs");
        Map<Service, ServiceProcess> started = new EnumMap<>(Service.class);
        Suite suite = new Suite(started);
        try {
            for (Service service : services) {
                started.put(service, ServiceProcess.start(service, layout, logDir, Map.of()));
            }
            started.values().forEach(process -> process.awaitReady(READINESS_TIMEOUT));
            return suite;
        } catch (RuntimeException e) {
            suite.close();
            throw e;
        }
    }

    /**
     * Starts one service with overrides on top of its env file, outside any suite, e.g. to crash and
     * restart it. The caller closes it.
     */
    public static ServiceProcess startOne(Service service, Map<String, String> overrides) {
        return startOne(service, overrides, READINESS_TIMEOUT);
    }

    /** As {@link #startOne(Service, Map)}, waiting up to {@code readinessTimeout} (a busy machine). */
    public static ServiceProcess startOne(Service service, Map<String, String> overrides, Duration readinessTimeout) {
        SuiteLayout layout = SuiteLayout.locate();
        ServiceProcess process = ServiceProcess.start(service, layout,
                layout.root().resolve("system-tests/target/service-logs"), overrides);
        try {
            process.awaitReady(readinessTimeout);
            return process;
        } catch (RuntimeException e) {
            process.close();
            throw e;
        }
    }

    /** Starts all six services. */
    public static Suite startAll() {
        return start(Service.values());
    }

    private static Suite shared;

    /**
     * All six services, started once per test JVM and stopped when it exits: the system tests share
     * one suite, because start-up dominates on two cores. Tests that crash or restart a service start
     * their own copy on other ports instead.
     */
    public static synchronized Suite shared() {
        if (shared == null) {
            Suite suite = startAll();
            Runtime.getRuntime().addShutdownHook(new Thread(suite::close, "tu-suite-stop"));
            shared = suite;
        }
        return shared;
    }

    /** The running process of {@code service}. */
    public ServiceProcess get(Service service) {
        ServiceProcess process = processes.get(service);
        if (process == null) {
            throw new IllegalArgumentException(service.id() + " is not part of this suite");
        }
        return process;
    }

    /** The running processes in start order. */
    public List<ServiceProcess> processes() {
        return List.copyOf(processes.values());
    }

    /** SIGTERM to every service at once, then waits for each: shutdowns overlap instead of queueing. */
    @Override
    public void close() {
        List<ServiceProcess> running = new ArrayList<>(processes.values());
        Collections.reverse(running);
        running.forEach(ServiceProcess::terminate);
        running.forEach(ServiceProcess::close);
    }
}
