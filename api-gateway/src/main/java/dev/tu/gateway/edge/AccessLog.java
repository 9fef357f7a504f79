package dev.tu.gateway.edge;

import dev.tu.service.caller.Caller;
import dev.tu.service.logging.LogContext;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

/**
 * The access log: one INFO line per request on logger {@code dev.tu.gateway.access}, written when the
 * response completes, with method, path, status, duration, correlation id, route and caller as JSON
 * fields of the ECS line ({@code jq 'select(.status >= 500)'}). The path is logged without its query and
 * no header is logged, so no token reaches the log. Web filters rather than a route filter, so that what
 * the gateway answers itself (401, 429, 404) is logged too; a WebSocket is one line when it closes.
 * Off with {@code tu.edge.access-log=false}.
 */
@Configuration(proxyBeanMethods = false)
class AccessLog {

    static final String LOGGER = "dev.tu.gateway.access";
    private static final String CALLER = AccessLog.class.getName() + ".caller";

    @Bean
    AccessLogFilter accessLogFilter(EdgeProperties properties) {
        return new AccessLogFilter(properties.accessLog());
    }

    @Bean
    CallerCapture accessLogCallerCapture(EdgeProperties properties) {
        return new CallerCapture(properties.accessLog());
    }

    /** Times the request and writes its line; outermost but for the correlation id, so it sees every answer. */
    static final class AccessLogFilter implements WebFilter, Ordered {

        private static final Logger log = LoggerFactory.getLogger(LOGGER);

        private final boolean enabled;

        AccessLogFilter(boolean enabled) {
            this.enabled = enabled;
        }

        @Override
        public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
            if (!enabled) {
                return chain.filter(exchange);
            }
            long start = System.nanoTime();
            AtomicBoolean written = new AtomicBoolean();
            Runnable line = () -> {
                if (written.compareAndSet(false, true)) {
                    write(exchange, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                }
            };
            ServerHttpResponse response = exchange.getResponse();
            return chain.filter(exchange)
                    // An error is turned into a response after this filter has finished (the error handler
                    // wraps the filter chain): log its status when that response is sent.
                    .doOnError(error -> {
                        if (response.isCommitted()) {
                            line.run();
                        } else {
                            response.beforeCommit(() -> Mono.fromRunnable(line));
                        }
                    })
                    .doFinally(signal -> {
                        if (signal != SignalType.ON_ERROR) {
                            line.run();
                        }
                    });
        }

        private static void write(ServerWebExchange exchange, long millis) {
            String method = exchange.getRequest().getMethod().name();
            String path = exchange.getRequest().getPath().value();
            HttpStatusCode status = exchange.getResponse().getStatusCode();
            Integer code = status == null ? null : status.value();
            LoggingEventBuilder event = log.atInfo()
                    .addKeyValue("method", method)
                    .addKeyValue("path", path)
                    .addKeyValue("durationMs", millis);
            optional(event, "status", code);
            optional(event, "correlationId", exchange.getAttribute(CorrelationIdFilter.ATTRIBUTE));
            Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
            optional(event, "routeId", route == null ? null : route.getId());
            Caller caller = exchange.getAttribute(CALLER);
            if (caller != null) {
                optional(event, "subject", caller.subject());
                optional(event, LogContext.TENANT, caller.tenant());
            }
            event.log("{} {} {} {} ms", method, path, code == null ? "-" : code, millis);
        }

        private static void optional(LoggingEventBuilder event, String key, Object value) {
            if (value != null) {
                event.addKeyValue(key, value);
            }
        }

        @Override
        public int getOrder() {
            return Ordered.HIGHEST_PRECEDENCE + 1;
        }
    }

    /**
     * Notes who the caller is once security has authenticated the request; the access log's filter runs
     * outside the security chain and cannot see its context, but shares the exchange's attributes.
     */
    static final class CallerCapture implements WebFilter, Ordered {

        private final boolean enabled;

        CallerCapture(boolean enabled) {
            this.enabled = enabled;
        }

        @Override
        public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
            if (!enabled) {
                return chain.filter(exchange);
            }
            return ReactiveSecurityContextHolder.getContext()
                    .map(SecurityContext::getAuthentication)
                    .ofType(JwtAuthenticationToken.class)
                    .doOnNext(jwt -> exchange.getAttributes().put(CALLER, Caller.from(jwt.getToken())))
                    .then(chain.filter(exchange));
        }

        /** After Spring Security's chain (order -100). */
        @Override
        public int getOrder() {
            return 0;
        }
    }
}
