package dev.tu.graph.connection;

import graphql.ErrorClassification;
import graphql.ExecutionResult;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.reactivestreams.Publisher;
import org.springframework.core.convert.converter.Converter;
import org.springframework.graphql.execution.SubscriptionPublisherException;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.server.WebSocketGraphQlInterceptor;
import org.springframework.graphql.server.WebSocketGraphQlRequest;
import org.springframework.graphql.server.WebSocketSessionInfo;
import org.springframework.graphql.support.DefaultExecutionGraphQlResponse;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.socket.CloseStatus;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

/**
 * The one {@link WebSocketGraphQlInterceptor} of the service.
 * <ul>
 * <li>{@code connection_init}: the payload's token ({@code {"Authorization": "Bearer …"}} or
 * {@code {"token": "…"}}) is decoded by the service's own {@link JwtDecoder} (issuer, audience, expiry,
 * tenant). Without one, a token the handshake carried in its header is used. No valid token: closed with
 * 4403. The connection is then closed when its token expires.</li>
 * <li>{@code subscribe}: runs as the principal of {@code connection_init} (tenant filtering), and no more
 * than {@code max-subscriptions} at once per connection.</li>
 * </ul>
 */
class ConnectionGuard implements WebSocketGraphQlInterceptor {

    private static final String SECURITY_CONTEXT = ConnectionGuard.class.getName() + ".securityContext";
    private static final String ACTIVE = ConnectionGuard.class.getName() + ".active";
    private static final String EXPIRY = ConnectionGuard.class.getName() + ".expiry";
    /** The key under which Spring for GraphQL propagates the security context to data fetchers. */
    private static final String SECURITY_CONTEXT_KEY = SecurityContext.class.getName();

    private final JwtDecoder decoder;
    private final Converter<Jwt, ? extends AbstractAuthenticationToken> authentication;
    private final TokenExpiry expiry;
    private final SessionCloser closer;
    private final int maxSubscriptions;

    ConnectionGuard(JwtDecoder decoder, Converter<Jwt, ? extends AbstractAuthenticationToken> authentication,
            TokenExpiry expiry, SessionCloser closer, int maxSubscriptions) {
        this.decoder = decoder;
        this.authentication = authentication;
        this.expiry = expiry;
        this.closer = closer;
        this.maxSubscriptions = maxSubscriptions;
    }

    @Override
    public Mono<Object> handleConnectionInitialization(WebSocketSessionInfo info, Map<String, Object> payload) {
        // Read now: the handshake's security context is a thread local only while this message is handled.
        Authentication handshake = SecurityContextHolder.getContext().getAuthentication();
        String offered = offeredToken(payload);
        Authentication caller;
        if (offered != null) {
            try {
                caller = authentication.convert(decoder.decode(offered));
            } catch (JwtException e) {
                return refuse(info, "Invalid token");
            }
        } else if (handshake instanceof JwtAuthenticationToken fromHeader) {
            caller = fromHeader;
        } else {
            return refuse(info, "connection_init needs a token");
        }
        if (!(caller instanceof JwtAuthenticationToken jwt) || !expiry.isUsable(jwt.getToken().getExpiresAt())) {
            return refuse(info, "Token expired");
        }
        info.getAttributes().put(SECURITY_CONTEXT, new SecurityContextImpl(caller));
        info.getAttributes().put(ACTIVE, new AtomicInteger());
        info.getAttributes().put(EXPIRY, expiry.closeAtExpiry(info.getId(), jwt.getToken().getExpiresAt()));
        return Mono.empty();
    }

    @Override
    public void handleConnectionClosed(WebSocketSessionInfo info, int statusCode, Map<String, Object> payload) {
        if (info.getAttributes().get(EXPIRY) instanceof Disposable timer) {
            timer.dispose();
        }
    }

    @Override
    public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
        if (!(request instanceof WebSocketGraphQlRequest socketRequest)) {
            return chain.next(request);
        }
        Map<String, Object> attributes = socketRequest.getSessionInfo().getAttributes();
        SecurityContext context = (SecurityContext) attributes.get(SECURITY_CONTEXT);
        AtomicInteger active = (AtomicInteger) attributes.get(ACTIVE);
        if (context == null || active == null) {
            return Mono.error(new BadCredentialsException("Connection not initialised"));
        }
        if (active.incrementAndGet() > maxSubscriptions) {
            active.decrementAndGet();
            return Mono.just(refused(request, subscriptionLimit()));
        }
        AtomicBoolean released = new AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                active.decrementAndGet();
            }
        };
        return chain.next(request)
                .map(response -> {
                    if (response.getData() instanceof Publisher<?> stream) {
                        // A subscription holds its place until it completes, fails or is cancelled.
                        return response.transform(builder -> builder.data(Flux.from(stream).doFinally(signal -> release.run())));
                    }
                    release.run();
                    return response;
                })
                .doOnError(error -> release.run())
                .doOnCancel(release)
                .contextWrite(Context.of(SECURITY_CONTEXT_KEY, context));
    }

    private GraphQLError subscriptionLimit() {
        return GraphqlErrorBuilder.newError()
                .message("This connection already runs " + maxSubscriptions
                        + " subscriptions; complete one first or open another connection.")
                .errorType(Limit.INSTANCE).extensions(Map.of("code", "SUBSCRIPTION_LIMIT")).build();
    }

    /** A response whose stream fails at once: the transport answers it with an {@code error} message. */
    private static WebGraphQlResponse refused(WebGraphQlRequest request, GraphQLError error) {
        ExecutionResult result = ExecutionResult.newExecutionResult()
                .data(Flux.error(new SubscriptionPublisherException(List.of(error), null))).build();
        return new WebGraphQlResponse(new DefaultExecutionGraphQlResponse(request.toExecutionInput(), result));
    }

    private Mono<Object> refuse(WebSocketSessionInfo info, String reason) {
        closer.close(info.getId(), new CloseStatus(SessionCloser.FORBIDDEN, reason));
        return Mono.error(new BadCredentialsException(reason));
    }

    /** {@code Authorization: Bearer <token>} (any case) or {@code token: <token>}. */
    static String offeredToken(Map<String, Object> payload) {
        if (payload == null) {
            return null;
        }
        for (Map.Entry<String, Object> entry : payload.entrySet()) {
            if (!(entry.getValue() instanceof String value) || value.isBlank()) {
                continue;
            }
            if (entry.getKey().equalsIgnoreCase("authorization")) {
                return value.regionMatches(true, 0, "Bearer ", 0, 7) ? value.substring(7).strip() : value.strip();
            }
            if (entry.getKey().equals("token")) {
                return value.strip();
            }
        }
        return null;
    }

    /** Classification of the subscription limit error. */
    enum Limit implements ErrorClassification {
        INSTANCE;

        @Override
        public Object toSpecification(GraphQLError error) {
            return "LIMIT_EXCEEDED";
        }
    }
}
