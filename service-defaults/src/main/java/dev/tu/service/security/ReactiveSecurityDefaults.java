package dev.tu.service.security;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.autoconfigure.actuate.web.reactive.EndpointRequest;
import org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.reactive.ReactiveOAuth2ResourceServerAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.method.configuration.EnableReactiveMethodSecurity;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.web.server.SecurityWebFilterChain;

/**
 * The WebFlux chain (api-gateway): probes open (and WebSocket handshakes on the configured paths, which
 * the service behind authenticates inside the socket), everything else needs a valid bearer token.
 */
@AutoConfiguration(before = {ReactiveOAuth2ResourceServerAutoConfiguration.class,
        ReactiveWebSecurityAutoConfiguration.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@EnableWebFluxSecurity
@EnableReactiveMethodSecurity
@EnableConfigurationProperties(SecurityProperties.class)
class ReactiveSecurityDefaults {

    @Bean
    @ConditionalOnMissingBean(SecurityWebFilterChain.class)
    SecurityWebFilterChain tuSecurityWebFilterChain(ServerHttpSecurity http, SecurityProperties properties) {
        return http
                .authorizeExchange(exchanges -> exchanges
                        .matchers(EndpointRequest.to("health", "info", "prometheus")).permitAll()
                        // CORS preflights carry no credentials by design; the gateway's CORS rules answer them.
                        .matchers(ReactiveRules.preflight()).permitAll()
                        .pathMatchers("/error").permitAll()
                        // Browsers cannot send a token on a WebSocket: the socket's protocol carries it.
                        .matchers(ReactiveRules.tokenlessHandshake(properties)).permitAll()
                        .anyExchange().authenticated())
                .oauth2ResourceServer(server -> server.jwt(Customizer.withDefaults()))
                // Bearer tokens only, no cookies: CSRF protection has nothing to protect.
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .build();
    }

    /** An unreachable JWK set refuses the token (401) instead of failing the request (500). */
    @Bean
    static ReactiveKeySetOutageIsInvalidToken keySetOutageIsInvalidToken() {
        return new ReactiveKeySetOutageIsInvalidToken();
    }

    /**
     * Every token must expire: Spring's timestamp check lets a token without {@code exp} live forever.
     * Proven by security-tests TokenAttacksIT#eachClaimIsCheckedOnItsOwn.
     */
    @Bean
    OAuth2TokenValidator<Jwt> expiryRequiredValidator() {
        return new JwtClaimValidator<Object>(JwtClaimNames.EXP, java.util.Objects::nonNull);
    }

    @Bean
    OAuth2TokenValidator<Jwt> tenantClaimValidator() {
        return new TenantClaimValidator();
    }
}
