package dev.tu.service.caller;

import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/** {@code GET /api/v1/me} on the WebFlux gateway. */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
class ReactiveCallerEndpoint {

    @Bean
    RouterFunction<ServerResponse> callerRoute() {
        return route().GET(CallerPaths.ME, request -> ReactiveSecurityContextHolder.getContext()
                        .map(context -> (Jwt) context.getAuthentication().getPrincipal())
                        .map(Caller::from)
                        .flatMap(caller -> ServerResponse.ok().bodyValue(caller)))
                .build();
    }
}
