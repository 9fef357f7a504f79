package dev.tu.service.caller;

import java.util.List;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * The authenticated caller as every service sees it.
 *
 * @param subject the token's subject (Keycloak user or service-account id)
 * @param username the preferred username, for display and audit
 * @param tenant  the tenant every read and write is scoped to
 * @param roles   realm roles, e.g. {@code tu-reader}, {@code tu-uploader}
 */
public record Caller(String subject, String username, String tenant, List<String> roles) {

    /** Token claim that names the caller's tenant. */
    public static final String TENANT_CLAIM = "tenant";
    /** Token claim that lists the caller's realm roles. */
    public static final String ROLES_CLAIM = "roles";

    /** Reads the caller from a token the resource server has already validated. */
    public static Caller from(Jwt jwt) {
        List<String> roles = jwt.hasClaim(ROLES_CLAIM) ? jwt.getClaimAsStringList(ROLES_CLAIM) : List.of();
        return new Caller(jwt.getSubject(), jwt.getClaimAsString("preferred_username"),
                jwt.getClaimAsString(TENANT_CLAIM), List.copyOf(roles));
    }
}
