package dev.tu.gateway.routing;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RoutesProperties.class)
class RoutesConfiguration {

    @Bean
    RouteLocator tuRoutes(RouteLocatorBuilder routes, RoutesProperties upstreams) {
        return routes.routes()
                .route("images", route -> route.path("/api/v1/images", "/api/v1/images/**")
                        .uri(upstreams.ingestionUri()))
                .route("graphql", route -> route.path("/graphql")
                        .uri(upstreams.graphUri()))
                .build();
    }
}
