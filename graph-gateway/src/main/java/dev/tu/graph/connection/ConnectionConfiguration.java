package dev.tu.graph.connection;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.graphql.autoconfigure.GraphQlProperties;
import org.springframework.boot.http.converter.autoconfigure.ServerHttpMessageConvertersCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.server.WebGraphQlHandler;
import org.springframework.graphql.server.webmvc.GraphQlWebSocketHandler;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;
import reactor.core.scheduler.Schedulers;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ConnectionProperties.class)
class ConnectionConfiguration {

    @Bean
    OpenConnections openConnections() {
        return new OpenConnections();
    }

    @Bean
    ConnectionGuard connectionGuard(JwtDecoder decoder, ObjectProvider<JwtAuthenticationConverter> converter,
            OpenConnections connections, ConnectionProperties properties) {
        TokenExpiry expiry = new TokenExpiry(Clock.systemUTC(), Schedulers.parallel(), properties.closeBeforeExpiry(),
                connections);
        // The converter Boot builds from spring.security.oauth2.resourceserver.jwt (roles as authorities).
        return new ConnectionGuard(decoder, converter.getIfAvailable(JwtAuthenticationConverter::new), expiry,
                connections, properties.maxSubscriptions());
    }

    /**
     * Spring Boot's GraphQL WebSocket handler, built as Boot builds it, that also records its open sessions
     * (so they can be closed with our codes) and checks the page's origin against the console's.
     */
    @Bean
    GraphQlWebSocketHandler graphQlWebSocketHandler(WebGraphQlHandler handler, GraphQlProperties graphQl,
            ConnectionProperties properties, OpenConnections connections,
            ObjectProvider<ServerHttpMessageConvertersCustomizer> customizers) {
        CorsConfiguration origins = new CorsConfiguration();
        origins.setAllowedOrigins(properties.allowedOrigins());
        return new TrackingHandler(handler, jsonConverter(customizers),
                graphQl.getWebsocket().getConnectionInitTimeout(), graphQl.getWebsocket().getKeepAlive(), origins,
                connections);
    }

    @SuppressWarnings("unchecked")
    private static HttpMessageConverter<Object> jsonConverter(
            ObjectProvider<ServerHttpMessageConvertersCustomizer> customizers) {
        HttpMessageConverters.ServerBuilder builder = HttpMessageConverters.forServer().registerDefaults();
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        for (HttpMessageConverter<?> converter : builder.build()) {
            if (converter.canRead(Map.class, MediaType.APPLICATION_JSON)) {
                return (HttpMessageConverter<Object>) converter;
            }
        }
        throw new IllegalStateException("No JSON converter");
    }

    private static final class TrackingHandler extends GraphQlWebSocketHandler {

        private final OpenConnections connections;

        TrackingHandler(WebGraphQlHandler handler, HttpMessageConverter<Object> converter, Duration initTimeout,
                Duration keepAlive, CorsConfiguration origins, OpenConnections connections) {
            super(handler, converter, initTimeout, keepAlive, origins);
            this.connections = connections;
        }

        @Override
        public void afterConnectionEstablished(WebSocketSession session) {
            connections.opened(session);
            super.afterConnectionEstablished(session);
        }

        @Override
        public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
            connections.closed(session);
            super.afterConnectionClosed(session, status);
        }
    }
}
