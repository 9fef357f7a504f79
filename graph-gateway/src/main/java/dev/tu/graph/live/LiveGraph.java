package dev.tu.graph.live;

import dev.tu.service.caller.Caller;
import java.security.Principal;
import java.util.List;
import java.util.Set;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.SubscriptionMapping;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Flux;

@Controller
class LiveGraph {

    private final NotificationRelay relay;
    private final AssetLookup assets;

    LiveGraph(NotificationRelay relay, AssetLookup assets) {
        this.relay = relay;
        this.assets = assets;
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
        return mine;
    }
}
