package dev.tu.service.security;

import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.web.cors.reactive.CorsUtils;

/** Request matchers of the WebFlux chain, shared by the default chain and a service's own (api-gateway). */
public final class ReactiveRules {

    private ReactiveRules() {
    }

    /** CORS preflights: they carry no credentials by design; the gateway's CORS rules answer them. */
    public static ServerWebExchangeMatcher preflight() {
        return exchange -> CorsUtils.isPreFlightRequest(exchange.getRequest())
                ? ServerWebExchangeMatcher.MatchResult.match() : ServerWebExchangeMatcher.MatchResult.notMatch();
    }

    /** A WebSocket upgrade on a configured path: the socket's protocol carries the token (connection_init). */
    public static ServerWebExchangeMatcher tokenlessHandshake(SecurityProperties properties) {
        return exchange -> properties.isTokenlessHandshake(exchange.getRequest().getMethod().name(),
                exchange.getRequest().getPath().pathWithinApplication().value(),
                exchange.getRequest().getHeaders().getUpgrade())
                ? ServerWebExchangeMatcher.MatchResult.match() : ServerWebExchangeMatcher.MatchResult.notMatch();
    }
}
