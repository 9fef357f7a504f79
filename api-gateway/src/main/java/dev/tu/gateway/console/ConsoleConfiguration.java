package dev.tu.gateway.console;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * {@code /} and {@code /console} lead to the console's page; {@code /console/config.json} tells it
 * where Keycloak is. The hashed assets under {@code /console/assets/} come from Boot's static
 * resource handling (classpath {@code META-INF/resources}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ConsoleProperties.class)
class ConsoleConfiguration {

    static final String PATH = "/console/";
    private static final Resource INDEX = new ClassPathResource("META-INF/resources/console/index.html");

    @Bean
    RouterFunction<ServerResponse> consoleRoutes(ConsoleProperties console) {
        Map<String, String> config = Map.of("issuer", console.issuerUri().toString(), "clientId", console.clientId());
        return RouterFunctions.route()
                .GET("/", request -> ServerResponse.temporaryRedirect(URI.create(PATH)).build())
                .GET("/console", request -> ServerResponse.permanentRedirect(URI.create(PATH)).build())
                // The page names the hashed bundles of this build: it is revalidated on every visit.
                .GET(PATH, request -> INDEX.exists()
                        ? ServerResponse.ok().contentType(MediaType.TEXT_HTML).cacheControl(CacheControl.noCache())
                                .bodyValue(INDEX)
                        : ServerResponse.notFound().build())
                .route(GET(PATH + "config.json"), request -> ServerResponse.ok()
                        .contentType(MediaType.APPLICATION_JSON)
                        .cacheControl(CacheControl.maxAge(Duration.ZERO).mustRevalidate())
                        .bodyValue(config))
                .build();
    }
}
