package dev.tu.service.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Only a WebSocket upgrade on a configured path goes without a token. */
class SecurityPropertiesTest {

    private final SecurityProperties properties = new SecurityProperties(List.of("/graphql"));

    @Test
    void aWebSocketUpgradeOnAConfiguredPathNeedsNoHeader() {
        assertThat(properties.isTokenlessHandshake("GET", "/graphql", "websocket")).isTrue();
        assertThat(properties.isTokenlessHandshake("GET", "/graphql", "WebSocket")).isTrue();
    }

    @Test
    void everythingElseStillNeedsOne() {
        assertThat(properties.isTokenlessHandshake("GET", "/graphql", null)).isFalse();
        assertThat(properties.isTokenlessHandshake("POST", "/graphql", "websocket")).isFalse();
        assertThat(properties.isTokenlessHandshake("GET", "/api/v1/images", "websocket")).isFalse();
        assertThat(new SecurityProperties(List.of()).isTokenlessHandshake("GET", "/graphql", "websocket")).isFalse();
    }
}
