package dev.tu.service.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;

class KeySetOutageIsInvalidTokenTest {

    private final KeySetOutageIsInvalidToken postProcessor = new KeySetOutageIsInvalidToken();

    @Test
    void aDecoderThatCannotReachTheKeySetRefusesTheTokenAsInvalid() {
        JwtDecoder outage = token -> {
            throw new JwtException("Couldn't retrieve remote JWK set: Connection refused");
        };
        JwtDecoder wrapped = (JwtDecoder) postProcessor.postProcessAfterInitialization(outage, "jwtDecoder");
        assertThatThrownBy(() -> wrapped.decode("x.y.z")).isInstanceOf(BadJwtException.class)
                .hasMessage(KeySetOutageIsInvalidToken.MESSAGE);
    }

    @Test
    void anInvalidTokenStaysAsItWas() {
        BadJwtException bad = new BadJwtException("Signed JWT rejected");
        JwtDecoder decoder = token -> {
            throw bad;
        };
        JwtDecoder wrapped = (JwtDecoder) postProcessor.postProcessAfterInitialization(decoder, "jwtDecoder");
        assertThatThrownBy(() -> wrapped.decode("x.y.z")).isSameAs(bad);
    }

    @Test
    void theReactiveDecoderIsWrappedToo() {
        ReactiveJwtDecoder outage = token -> Mono.error(new JwtException("Couldn't retrieve remote JWK set"));
        ReactiveJwtDecoder wrapped = (ReactiveJwtDecoder) new ReactiveKeySetOutageIsInvalidToken()
                .postProcessAfterInitialization(outage, "d");
        assertThatThrownBy(() -> wrapped.decode("x.y.z").block()).isInstanceOf(BadJwtException.class);
    }

    @Test
    void theReactiveDecoderMapsTheHttpClientsOwnFailureToo() {
        ReactiveJwtDecoder outage = token -> Mono.error(new IllegalStateException("Connection refused: /127.0.0.1:1"));
        ReactiveJwtDecoder wrapped = (ReactiveJwtDecoder) new ReactiveKeySetOutageIsInvalidToken()
                .postProcessAfterInitialization(outage, "d");
        assertThatThrownBy(() -> wrapped.decode("x.y.z").block()).isInstanceOf(BadJwtException.class);
    }

    @Test
    void otherBeansAreLeftAlone() {
        Object bean = new Object();
        assertThat(postProcessor.postProcessAfterInitialization(bean, "other")).isSameAs(bean);
    }
}
