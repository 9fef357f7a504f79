package dev.tu.service.security;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.servlet.OAuth2ResourceServerAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The servlet services' filter chain: probes open (and WebSocket handshakes on the configured paths, which
 * authenticate inside the socket), everything else needs a valid bearer token.
 */
@AutoConfiguration(before = {OAuth2ResourceServerAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableMethodSecurity
@EnableConfigurationProperties(SecurityProperties.class)
class ServletSecurityDefaults {

    @Bean
    @ConditionalOnMissingBean(SecurityFilterChain.class)
    SecurityFilterChain tuSecurityFilterChain(HttpSecurity http, SecurityProperties properties) throws Exception {
        return http
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(EndpointRequest.to("health", "info", "prometheus")).permitAll()
                        .requestMatchers("/error").permitAll()
                        .requestMatchers(request -> properties.isTokenlessHandshake(request.getMethod(),
                                request.getRequestURI().substring(request.getContextPath().length()),
                                request.getHeader("Upgrade"))).permitAll()
                        .anyRequest().authenticated())
                .oauth2ResourceServer(server -> server.jwt(Customizer.withDefaults()))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                // Bearer tokens only, no cookies: CSRF protection has nothing to protect.
                .csrf(csrf -> csrf.disable())
                .build();
    }

    /** An unreachable JWK set refuses the token (401) instead of failing the request (500). */
    @Bean
    static KeySetOutageIsInvalidToken keySetOutageIsInvalidToken() {
        return new KeySetOutageIsInvalidToken();
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
