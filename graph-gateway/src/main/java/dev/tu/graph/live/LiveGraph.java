package dev.tu.graph.live;

import dev.tu.service.caller.Caller;
import dev.tu.service.logging.LogContext;
import dev.tu.service.tracing.TraceContext;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.Principal;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.SubscriptionMapping;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Flux;

@Controller
class LiveGraph {

    private static final Logger log = LoggerFactory.getLogger(LiveGraph.class);

    private final NotificationRelay relay;
    private final AssetLookup assets;
    private final TraceContext trace;

    private final AtomicInteger active = new AtomicInteger();

    LiveGraph(NotificationRelay relay, AssetLookup assets, TraceContext trace, MeterRegistry meters) {
        this.relay = relay;
        this.assets = assets;
        this.trace = trace;
        Gauge.builder("tu.graphql.subscriptions", active, AtomicInteger::get)
                .description("analysisUpdates subscriptions open on this replica").register(meters);
    }

    /** The caller's tenant only, then the images or the asset they asked for. */
    @SubscriptionMapping
    Flux<AnalysisUpdate> analysisUpdates(@Argument List<String> imageIds, @Argument String assetId,
            Principal principal) {
        JwtAuthenticationToken authentication = (JwtAuthenticationToken) principal;
        String tenant = Caller.from(authentication.getToken()).tenant();
        String token = authentication.getToken().getTokenValue();
        Set<String> images = imageIds == null ? null : Set.copyOf(imageIds);
        Flux<AnalysisUpdate> mine = relay.updates().filter(update -> tenant.equals(update.tenant()));
        if (images != null) {
            mine = mine.filter(update -> images.contains(update.imageId()));
        }
        if (assetId != null) {
            mine = mine.filterWhen(update -> assets.isOfAsset(token, update.imageId(), assetId));
        }
        // One span per push to this subscriber, in the trace of the upload that caused the change.
        return mine.doOnNext(update -> {
                    try (var context = LogContext.with(update.tenant(), update.imageId(), update.eventId())) {
                        trace.producerSpan(update.traceparent(), "subscription push analysisUpdates");
                        log.debug("Pushing {} to a subscriber", update.status());
                    }
                })
                .doOnSubscribe(subscription -> active.incrementAndGet())
                .doFinally(signal -> active.decrementAndGet());
    }
}
