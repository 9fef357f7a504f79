package dev.tu.gateway.edge;

import dev.tu.gateway.console.ConsoleProperties;
import dev.tu.service.security.ReactiveRules;
import dev.tu.service.security.SecurityProperties;
import org.springframework.boot.security.autoconfigure.actuate.web.reactive.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.server.resource.web.server.authentication.ServerBearerTokenAuthenticationConverter;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter.ReferrerPolicy;

/**
 * The gateway's filter chain: the service-defaults rules (probes open, tokenless GraphQL WebSocket
 * handshakes on the configured paths, bearer token for the rest),
 * plus what serving the web console needs — its static files open, a Content-Security-Policy that
 * allows only this origin and Keycloak, and a bearer token accepted in the query of the GraphQL
 * WebSocket handshake (browsers cannot set headers on a WebSocket; {@link WebSocketTokenRelay} moves it
 * into the Authorization header before the handshake goes on to graph-gateway).
 */
@Configuration(proxyBeanMethods = false)
class EdgeSecurity {

    @Bean
    SecurityWebFilterChain edgeSecurityWebFilterChain(ServerHttpSecurity http, ConsoleProperties console,
            SecurityProperties security) {
        return http
                .authorizeExchange(exchanges -> exchanges
                        .matchers(EndpointRequest.to("health", "info", "prometheus")).permitAll()
                        .matchers(ReactiveRules.preflight()).permitAll()
                        .pathMatchers("/error").permitAll()
                        // As in service-defaults: a GraphQL WebSocket may open without a header, its
                        // connection_init carries the token and graph-gateway checks it there.
                        .matchers(ReactiveRules.tokenlessHandshake(security)).permitAll()
                        // The console's page and bundles are public; every call they make carries a token.
                        .pathMatchers(HttpMethod.GET, "/", "/console", "/console/", "/console/config.json",
                                "/console/assets/**").permitAll()
                        .anyExchange().authenticated())
                .oauth2ResourceServer(server -> server
                        .bearerTokenConverter(bearerTokens())
                        .jwt(Customizer.withDefaults()))
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives(contentSecurityPolicy(console)))
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.NO_REFERRER)))
                // Bearer tokens only, no cookies: CSRF protection has nothing to protect.
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .build();
    }

    /** Self for everything; Keycloak for the token calls (connect) and its login pages (frame, form). */
    static String contentSecurityPolicy(ConsoleProperties console) {
        String keycloak = console.keycloakOrigin();
        return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; "
                + "connect-src 'self' " + keycloak + "; frame-src " + keycloak + "; "
                + "form-action 'self' " + keycloak + "; frame-ancestors 'none'; base-uri 'self'; object-src 'none'";
    }

    private static ServerAuthenticationConverter bearerTokens() {
        ServerBearerTokenAuthenticationConverter headerOnly = new ServerBearerTokenAuthenticationConverter();
        ServerBearerTokenAuthenticationConverter headerOrQuery = new ServerBearerTokenAuthenticationConverter();
        headerOrQuery.setAllowUriQueryParameter(true);
        return exchange -> WebSocketTokenRelay.isGraphQlHandshake(exchange.getRequest())
                ? headerOrQuery.convert(exchange)
                : headerOnly.convert(exchange);
    }
}
