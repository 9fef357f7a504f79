package dev.tu.service.security;

import dev.tu.service.caller.Caller;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Refuses tokens without a tenant: every read is scoped to the caller's tenant, so a token that names
 * none cannot be served. Spring Boot adds every {@code OAuth2TokenValidator<Jwt>} bean to its decoder.
 */
final class TenantClaimValidator implements OAuth2TokenValidator<Jwt> {

    private static final OAuth2Error MISSING_TENANT = new OAuth2Error(
            OAuth2ErrorCodes.INVALID_TOKEN, "The token has no '" + Caller.TENANT_CLAIM + "' claim", null);

    @Override
    public OAuth2TokenValidatorResult validate(Jwt token) {
        String tenant = token.getClaimAsString(Caller.TENANT_CLAIM);
        return tenant == null || tenant.isBlank()
                ? OAuth2TokenValidatorResult.failure(MISSING_TENANT)
                : OAuth2TokenValidatorResult.success();
    }
}
