package dev.tu.graph.live;

import dev.tu.graph.downstream.Downstream;
import dev.tu.graph.downstream.ImageView;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Which asset an image shows: asked of ingestion once per image (with the subscriber's token), then cached. */
@Component
class AssetLookup {

    private static final int MAX_ENTRIES = 10_000;

    private final Downstream downstream;
    private final Map<String, String> assetByImage = new ConcurrentHashMap<>();

    AssetLookup(Downstream downstream) {
        this.downstream = downstream;
    }

    Mono<Boolean> isOfAsset(String token, String imageId, String assetId) {
        String known = assetByImage.get(imageId);
        if (known != null) {
            return Mono.just(known.equals(assetId));
        }
        return Mono.fromCallable(() -> downstream.image(token, imageId).map(ImageView::assetId).orElse(""))
                .subscribeOn(Schedulers.boundedElastic())
                .doOnNext(asset -> {
                    if (assetByImage.size() < MAX_ENTRIES) {
                        assetByImage.put(imageId, asset);
                    }
                })
                .map(asset -> Objects.equals(asset, assetId))
                .onErrorReturn(false);
    }
}
