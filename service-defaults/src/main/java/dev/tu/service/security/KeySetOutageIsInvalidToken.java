package dev.tu.service.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * A token that cannot be verified is refused as an invalid token (401), also when the reason is that the
 * identity provider's JWK set cannot be fetched. Spring Security treats that case as a server error: the
 * decoder throws a plain {@link JwtException}, the provider turns it into an
 * {@code AuthenticationServiceException} and the filter rethrows it as a 500. Here the servlet stack's
 * decoder is wrapped so that any failure that is not already a {@link BadJwtException} becomes one with
 * a fixed message (the cause is logged, never sent); {@link ReactiveKeySetOutageIsInvalidToken} does the
 * same on WebFlux. Proven by security-tests TokenAttacksIT#anUnreachableKeySetIs401NotA500.
 */
final class KeySetOutageIsInvalidToken implements BeanPostProcessor {

    private static final Logger log = LoggerFactory.getLogger(KeySetOutageIsInvalidToken.class);
    static final String MESSAGE = "The token cannot be verified";

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof JwtDecoder decoder) {
            return (JwtDecoder) token -> {
                try {
                    return decoder.decode(token);
                } catch (BadJwtException e) {
                    throw e;
                } catch (JwtException e) {
                    throw invalid(e);
                }
            };
        }
        return bean;
    }

    static BadJwtException invalid(Throwable cause) {
        log.warn("A bearer token could not be verified (the key set may be unreachable): {}", cause.getMessage());
        return new BadJwtException(MESSAGE, cause);
    }
}
