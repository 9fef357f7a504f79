package dev.tu.graph.images;

import dev.tu.contracts.ImageAnalyzed;
import dev.tu.graph.downstream.AnalysisView;
import dev.tu.graph.downstream.Downstream;
import dev.tu.graph.downstream.DownstreamException;
import dev.tu.graph.downstream.ImageView;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.BatchMapping;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;
import tools.jackson.databind.json.JsonMapper;

@Controller
@EnableConfigurationProperties(ImageGraphProperties.class)
class ImageGraph {

    /** Largest page a client may ask for; more is refused, not silently cut. */
    static final int MAX_PAGE = 100;

    private final Downstream downstream;
    private final boolean batchAnalyses;
    private final Duration stuckAfter;
    private final JsonMapper json = JsonMapper.builder().build();

    ImageGraph(Downstream downstream, ImageGraphProperties properties) {
        this.downstream = downstream;
        this.batchAnalyses = properties.batchAnalyses();
        this.stuckAfter = properties.stuckAfter();
    }

    /** The filter argument of {@code images}. */
    record ImageFilter(String assetId) {
    }

    /** An asset is its id; its images are a filtered listing. */
    record Asset(String id) {
    }

    @QueryMapping
    ImageView image(@Argument String id, Principal principal) {
        return downstream.image(Tokens.of(principal), id).orElse(null);
    }

    @QueryMapping
    Connection images(@Argument ImageFilter filter, @Argument Integer first, @Argument String after, Principal principal) {
        return Connection.of(downstream.images(Tokens.of(principal), filter == null ? null : filter.assetId(), after,
                pageSize(first)), after);
    }

    @QueryMapping
    Asset asset(@Argument String id) {
        return new Asset(id);
    }

    @SchemaMapping(typeName = "Asset", field = "images")
    Connection assetImages(Asset asset, @Argument Integer first, @Argument String after, Principal principal) {
        return Connection.of(downstream.images(Tokens.of(principal), asset.id(), after, pageSize(first)), after);
    }

    @QueryMapping
    AnalysisView analysis(@Argument String imageId, Principal principal) {
        return downstream.analysis(Tokens.of(principal), imageId).orElse(null);
    }

    @MutationMapping
    AnalysisView requestReanalysis(@Argument String imageId, Principal principal) {
        return downstream.requestReanalysis(Tokens.of(principal), imageId)
                .orElseThrow(() -> new DownstreamException("NOT_FOUND", "No image " + imageId + ".", null));
    }

    /** One orchestrator call for every image of the page. */
    @BatchMapping(typeName = "Image", field = "analysis")
    Map<ImageView, AnalysisView> analyses(List<ImageView> images, Principal principal) {
        String token = Tokens.of(principal);
        List<String> ids = images.stream().map(ImageView::id).distinct().toList();
        Map<String, AnalysisView> byImage = (batchAnalyses ? downstream.analysesByImageIds(token, ids)
                : ids.stream().flatMap(id -> downstream.analysis(token, id).stream()).toList())
                .stream().collect(Collectors.toMap(AnalysisView::imageId, Function.identity()));
        Map<ImageView, AnalysisView> result = new LinkedHashMap<>();
        images.forEach(image -> result.put(image, byImage.get(image.id())));
        return result;
    }

    /** Where each image of the page is: one orchestrator call for the whole page, as for its analysis. */
    @BatchMapping(typeName = "Image", field = "whereabouts")
    Map<ImageView, Whereabouts> whereabouts(List<ImageView> images, Principal principal) {
        Map<ImageView, AnalysisView> analyses = analyses(images, principal);
        Instant now = Instant.now();
        Map<ImageView, Whereabouts> result = new LinkedHashMap<>();
        images.forEach(image -> result.put(image, Whereabouts.of(image, analyses.get(image), now, stuckAfter)));
        return result;
    }

    @SchemaMapping(typeName = "Analysis", field = "result")
    AnalysisResult result(AnalysisView analysis) {
        return analysis.result() == null ? null
                : AnalysisResult.of(json.readValue(analysis.result(), ImageAnalyzed.class));
    }

    private static int pageSize(Integer first) {
        if (first == null || first < 1 || first > MAX_PAGE) {
            throw new DownstreamException("BAD_USER_INPUT", "first must be between 1 and " + MAX_PAGE + ".", null);
        }
        return first;
    }
}
