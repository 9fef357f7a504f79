package dev.tu.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where things are in a checkout: the env definitions, the built jars, the state folder that
 * {@code scripts/infra.sh} writes {@code infra.env} into.
 *
 * @param root the repository root
 */
public record SuiteLayout(Path root) {

    /** The repository root from {@code -Dtu.root}, else the nearest parent that holds deploy/env. */
    public static SuiteLayout locate() {
        String configured = System.getProperty("tu.root");
        if (configured != null && !configured.isBlank()) {
            return new SuiteLayout(Path.of(configured).toAbsolutePath().normalize());
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("deploy/env"))) {
                return new SuiteLayout(dir);
            }
        }
        throw new IllegalStateException("No deploy/env above " + Path.of("").toAbsolutePath() + "; set -Dtu.root");
    }

    /** The environment definition of a service. */
    public Path envFile(Service service) {
        return root.resolve("deploy/env").resolve(service.id() + ".env");
    }

    /** JVM flags every service process gets, one per whitespace-separated token. */
    public Path jvmOptions() {
        return root.resolve("deploy/env/jvm.options");
    }

    /** The executable jar Spring Boot's plugin built for a service. */
    public Path jar(Service service) {
        Path target = root.resolve(service.id()).resolve("target");
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(file -> file.getFileName().toString().startsWith(service.id() + "-"))
                    .filter(file -> file.getFileName().toString().endsWith(".jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("No jar in " + target + ": run ./mvnw package first"));
        } catch (IOException e) {
            throw new UncheckedIOException("No " + target + ": run ./mvnw package first", e);
        }
    }

    /** The state folder of the local suite ({@code TU_STATE_DIR}, else {@code .state}). */
    public Path stateDir() {
        String configured = System.getenv("TU_STATE_DIR");
        return configured != null && !configured.isBlank() ? Path.of(configured) : root.resolve(".state");
    }

    /**
     * The infrastructure's addresses: loopback defaults, overridden by {@code .state/infra.env} (what
     * {@code scripts/infra.sh up} found or started), overridden by {@code TU_*} environment variables.
     */
    public Map<String, String> infrastructure() {
        Map<String, String> variables = new java.util.HashMap<>(Infrastructure.variables(stateDir().resolve("infra.env")));
        variables.put("TU_ROOT", root.toString());
        return Map.copyOf(variables);
    }
}
