package dev.tu.graph.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where a browser client puts its token in {@code connection_init}. */
class ConnectionGuardTest {

    @Test
    void theTokenIsReadFromAuthorizationInAnyCaseOrFromToken() {
        assertThat(ConnectionGuard.offeredToken(Map.of("Authorization", "Bearer abc.def.ghi"))).isEqualTo("abc.def.ghi");
        assertThat(ConnectionGuard.offeredToken(Map.of("authorization", "bearer abc"))).isEqualTo("abc");
        assertThat(ConnectionGuard.offeredToken(Map.of("token", " abc "))).isEqualTo("abc");
    }

    @Test
    void anEmptyOrMissingTokenIsNone() {
        Map<String, Object> nulls = new HashMap<>();
        nulls.put("token", null);
        assertThat(ConnectionGuard.offeredToken(Map.of())).isNull();
        assertThat(ConnectionGuard.offeredToken(null)).isNull();
        assertThat(ConnectionGuard.offeredToken(nulls)).isNull();
        assertThat(ConnectionGuard.offeredToken(Map.of("token", "  "))).isNull();
        assertThat(ConnectionGuard.offeredToken(Map.of("token", 42))).isNull();
    }
}
