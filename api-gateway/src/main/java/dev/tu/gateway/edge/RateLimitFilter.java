package dev.tu.gateway.edge;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * A token bucket per user (the token's subject): a burst of {@code rate-limit-capacity}, refilled one
 * request per {@code rate-limit-refill}. Over it: 429 problem+json with {@code Retry-After}. Buckets
 * live in this replica (Kong's rate limit is the cluster-wide one on kind).
 */
@Component
@EnableConfigurationProperties(EdgeProperties.class)
class RateLimitFilter implements GlobalFilter, Ordered {

    private final EdgeProperties properties;
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
            .maximumSize(100_000).expireAfterAccess(Duration.ofMinutes(10)).build();

    RateLimitFilter(EdgeProperties properties) {
        this.properties = properties;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        return ReactiveSecurityContextHolder.getContext()
                .map(context -> context.getAuthentication().getName())
                .defaultIfEmpty("anonymous:" + clientAddress(exchange))
                .flatMap(user -> {
                    ConsumptionProbe probe = buckets.get(user, key -> newBucket()).tryConsumeAndReturnRemaining(1);
                    if (probe.isConsumed()) {
                        exchange.getResponse().getHeaders().set("X-RateLimit-Remaining",
                                Long.toString(probe.getRemainingTokens()));
                        return chain.filter(exchange);
                    }
                    return tooMany(exchange, probe.getNanosToWaitForRefill());
                });
    }

    private Bucket newBucket() {
        return Bucket.builder().addLimit(Bandwidth.builder().capacity(properties.rateLimitCapacity())
                .refillGreedy(1, properties.rateLimitRefill()).build()).build();
    }

    private static Mono<Void> tooMany(ServerWebExchange exchange, long nanosToWait) {
        long seconds = Math.max(1, (nanosToWait + 999_999_999L) / 1_000_000_000L);
        var response = exchange.getResponse();
        response.setStatusCode(HttpStatus.TOO_MANY_REQUESTS);
        response.getHeaders().set("Retry-After", Long.toString(seconds));
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        byte[] body = ("{\"type\":\"urn:tu:problem:rate-limited\",\"title\":\"Too Many Requests\",\"status\":429,"
                + "\"detail\":\"Too many requests; retry after " + seconds + " s.\",\"code\":\"RATE_LIMITED\"}")
                .getBytes(StandardCharsets.UTF_8);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }

    private static String clientAddress(ServerWebExchange exchange) {
        var address = exchange.getRequest().getRemoteAddress();
        return address == null ? "unknown" : address.getAddress().getHostAddress();
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 10;
    }
}
