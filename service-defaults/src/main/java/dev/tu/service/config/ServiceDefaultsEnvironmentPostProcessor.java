package dev.tu.service.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.PropertiesPropertySourceLoader;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * Adds {@code tu-service-defaults.properties} as the lowest-precedence property source, so each
 * service's application.yaml, environment variables (what the chart sets) and arguments override it.
 */
class ServiceDefaultsEnvironmentPostProcessor implements EnvironmentPostProcessor {

    static final String SOURCE_NAME = "tuServiceDefaults";
    private static final String LOCATION = "tu-service-defaults.properties";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        try {
            new PropertiesPropertySourceLoader()
                    .load(SOURCE_NAME, new ClassPathResource(LOCATION, getClass().getClassLoader()))
                    .forEach(environment.getPropertySources()::addLast);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + LOCATION, e);
        }
        bindManagementServerLikeTheServer(environment);
    }

    /**
     * A separate management server does not reliably inherit {@code server.address}; bind it to the
     * same address explicitly so the actuator is never the one listener on every interface.
     */
    private static void bindManagementServerLikeTheServer(ConfigurableEnvironment environment) {
        String managementPort = environment.getProperty("management.server.port");
        boolean separatePort = managementPort != null
                && !managementPort.equals(environment.getProperty("server.port"));
        if (separatePort && !environment.containsProperty("management.server.address")) {
            environment.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME + "ManagementAddress",
                    Map.of("management.server.address", environment.getProperty("server.address", "127.0.0.1"))));
        }
    }
}
