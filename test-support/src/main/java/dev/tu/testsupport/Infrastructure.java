package dev.tu.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The addresses of the infrastructure, as variables the env files refer to. */
final class Infrastructure {

    private static final Map<String, String> LOOPBACK_DEFAULTS = Map.ofEntries(
            Map.entry("TU_POSTGRES_HOST", "127.0.0.1"),
            Map.entry("TU_POSTGRES_PORT", "5432"),
            Map.entry("TU_RABBITMQ_HOST", "127.0.0.1"),
            Map.entry("TU_RABBITMQ_PORT", "5672"),
            Map.entry("TU_KAFKA_BOOTSTRAP", "127.0.0.1:9092"),
            Map.entry("TU_S3_ENDPOINT", "http://127.0.0.1:8280"),
            Map.entry("TU_S3_ACCESS_KEY", "tu-dev-access"),
            Map.entry("TU_S3_SECRET_KEY", "dev-only-secret-key"),
            Map.entry("TU_KEYCLOAK_URL", "http://127.0.0.1:8180"),
            Map.entry("TU_ISSUER_URI", "http://127.0.0.1:8180/realms/tu"));

    private Infrastructure() {
    }

    static Map<String, String> variables(Path infraEnv) {
        Map<String, String> variables = new LinkedHashMap<>(LOOPBACK_DEFAULTS);
        if (Files.isRegularFile(infraEnv)) {
            variables.putAll(EnvFile.read(infraEnv, Map.of()));
        }
        System.getenv().forEach((name, value) -> {
            if (name.startsWith("TU_")) {
                variables.put(name, value);
            }
        });
        return Map.copyOf(variables);
    }
}
