package dev.tu.service.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;

class TenantClaimValidatorTest {

    private final TenantClaimValidator validator = new TenantClaimValidator();

    @Test
    void acceptsATokenThatNamesATenant() {
        assertThat(validator.validate(token("acme")).hasErrors()).isFalse();
    }

    @Test
    void refusesATokenWithoutTenant() {
        var result = validator.validate(token(null));
        assertThat(result.hasErrors()).isTrue();
        assertThat(result.getErrors()).singleElement()
                .satisfies(error -> assertThat(error.getErrorCode()).isEqualTo("invalid_token"));
    }

    @Test
    void refusesABlankTenant() {
        assertThat(validator.validate(token("  ")).hasErrors()).isTrue();
    }

    private static Jwt token(String tenant) {
        Jwt.Builder builder = Jwt.withTokenValue("t").header("alg", "RS256").subject("u")
                .issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(60));
        if (tenant != null) {
            builder.claim("tenant", tenant);
        }
        return builder.build();
    }
}
