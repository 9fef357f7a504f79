package dev.tu.service.security;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

/**
 * {@link KeySetOutageIsInvalidToken} for WebFlux (api-gateway): a separate class, as servlet services have no
 * Reactor. On this stack a JWK set fetch that fails surfaces as the HTTP client's own exception, not a
 * {@code JwtException}, so every failure other than an already invalid token is mapped.
 */
final class ReactiveKeySetOutageIsInvalidToken implements BeanPostProcessor {

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof ReactiveJwtDecoder decoder) {
            return (ReactiveJwtDecoder) token -> decoder.decode(token).onErrorMap(
                    e -> !(e instanceof BadJwtException),
                    KeySetOutageIsInvalidToken::invalid);
        }
        return bean;
    }
}
