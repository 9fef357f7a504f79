package dev.tu.service.caller;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Import;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/me} on the servlet services. */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@Import(ServletCallerEndpoint.MeController.class)
class ServletCallerEndpoint {

    @RestController
    static class MeController {

        @GetMapping(CallerPaths.ME)
        Caller me(@AuthenticationPrincipal Jwt jwt) {
            return Caller.from(jwt);
        }
    }
}
