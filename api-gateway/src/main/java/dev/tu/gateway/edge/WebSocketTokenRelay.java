package dev.tu.gateway.edge;

import java.net.URI;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.RouteToRequestUrlFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;

/**
 * A browser opens the GraphQL WebSocket with its token in the query ({@code ?access_token=}), the only
 * place it can put one. The gateway has already validated it; this moves it into the Authorization
 * header and out of the URL before the handshake is proxied, so graph-gateway authenticates it as it
 * does every other call and the token does not travel on in a URL.
 */
@Component
class WebSocketTokenRelay implements GlobalFilter, Ordered {

    private static final String PARAMETER = "access_token";

    /** A GET upgrade to WebSocket on {@code /graphql}: the only request that may carry its token in the query. */
    static boolean isGraphQlHandshake(ServerHttpRequest request) {
        return request.getMethod() == HttpMethod.GET
                && "/graphql".equals(request.getPath().value())
                && "websocket".equalsIgnoreCase(request.getHeaders().getFirst(HttpHeaders.UPGRADE));
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        String token = request.getQueryParams().getFirst(PARAMETER);
        if (token == null || !isGraphQlHandshake(request)) {
            return chain.filter(exchange);
        }
        URI withoutToken = UriComponentsBuilder.fromUri(request.getURI()).replaceQueryParam(PARAMETER)
                .build(true).toUri();
        ServerHttpRequest relayed = request.mutate()
                .uri(withoutToken)
                .headers(headers -> headers.setBearerAuth(token))
                .build();
        return chain.filter(exchange.mutate().request(relayed).build());
    }

    /** Before the route's URL is computed from the request's. */
    @Override
    public int getOrder() {
        return RouteToRequestUrlFilter.ROUTE_TO_URL_FILTER_ORDER - 1;
    }
}
