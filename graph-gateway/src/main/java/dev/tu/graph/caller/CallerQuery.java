package dev.tu.graph.caller;

import dev.tu.service.caller.Caller;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Controller;

@Controller
class CallerQuery {

    @QueryMapping
    Caller me(@AuthenticationPrincipal Jwt jwt) {
        return Caller.from(jwt);
    }
}
