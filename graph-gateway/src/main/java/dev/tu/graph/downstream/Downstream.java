package dev.tu.graph.downstream;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.util.UriBuilder;

/**
 * Calls to the owners, each with the caller's bearer token. A 404 is "not there"; anything else that
 * goes wrong is a {@link DownstreamException} naming which owner failed.
 */
@Component
@EnableConfigurationProperties(DownstreamProperties.class)
public class Downstream {

    private static final ParameterizedTypeReference<Page<ImageView>> IMAGE_PAGE = new ParameterizedTypeReference<>() {
    };
    private static final ParameterizedTypeReference<Page<AnalysisView>> ANALYSIS_PAGE =
            new ParameterizedTypeReference<>() {
            };

    private final RestClient ingestion;
    private final RestClient orchestrator;

    public Downstream(RestClient.Builder builder, DownstreamProperties properties) {
        var settings = HttpClientSettings.defaults()
                .withConnectTimeout(java.time.Duration.ofSeconds(2))
                .withReadTimeout(properties.timeout());
        var requestFactory = ClientHttpRequestFactoryBuilder.jdk().build(settings);
        this.ingestion = builder.clone().requestFactory(requestFactory)
                .baseUrl(properties.ingestionUri().toString()).build();
        this.orchestrator = builder.clone().requestFactory(requestFactory)
                .baseUrl(properties.orchestratorUri().toString()).build();
    }

    public Optional<ImageView> image(String token, String id) {
        return find("INGESTION_UNAVAILABLE", () -> Optional.ofNullable(ingestion.get()
                .uri("/api/v1/images/{id}", id).headers(h -> h.setBearerAuth(token))
                .retrieve().body(ImageView.class)));
    }

    public Page<ImageView> images(String token, String assetId, String cursor, int limit) {
        return call("INGESTION_UNAVAILABLE", () -> ingestion.get()
                .uri(uri -> optional(optional(uri.path("/api/v1/images").queryParam("limit", limit), "assetId", assetId),
                        "cursor", cursor).build())
                .headers(h -> h.setBearerAuth(token)).retrieve().body(IMAGE_PAGE));
    }

    public List<ImageView> imagesByIds(String token, Collection<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return call("INGESTION_UNAVAILABLE", () -> ingestion.get()
                .uri(uri -> uri.path("/api/v1/images").queryParam("ids", String.join(",", ids)).build())
                .headers(h -> h.setBearerAuth(token)).retrieve().body(IMAGE_PAGE).items());
    }

    /** One call for a whole page of images: the batch behind {@code Image.analysis}. */
    public List<AnalysisView> analysesByImageIds(String token, Collection<String> imageIds) {
        if (imageIds.isEmpty()) {
            return List.of();
        }
        return call("ORCHESTRATOR_UNAVAILABLE", () -> orchestrator.get()
                .uri(uri -> uri.path("/api/v1/analyses").queryParam("imageIds", String.join(",", imageIds)).build())
                .headers(h -> h.setBearerAuth(token)).retrieve().body(ANALYSIS_PAGE).items());
    }

    public Optional<AnalysisView> analysis(String token, String imageId) {
        return find("ORCHESTRATOR_UNAVAILABLE", () -> Optional.ofNullable(orchestrator.get()
                .uri("/api/v1/analyses/{id}", imageId).headers(h -> h.setBearerAuth(token))
                .retrieve().body(AnalysisView.class)));
    }

    public Optional<AnalysisView> requestReanalysis(String token, String imageId) {
        return find("ORCHESTRATOR_UNAVAILABLE", () -> Optional.ofNullable(orchestrator.post()
                .uri("/api/v1/analyses/{id}/reanalysis", imageId).headers(h -> h.setBearerAuth(token))
                .retrieve().body(AnalysisView.class)));
    }

    private static UriBuilder optional(UriBuilder uri, String name, String value) {
        return value == null ? uri : uri.queryParam(name, value);
    }

    /** A lookup: the owner's 404 (absent, or another tenant's) is an empty result. */
    private static <T> Optional<T> find(String code, Supplier<Optional<T>> call) {
        try {
            return call(code, call);
        } catch (DownstreamException e) {
            if (e.getCause() instanceof HttpClientErrorException http && http.getStatusCode().isSameCodeAs(HttpStatus.NOT_FOUND)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static <T> T call(String code, Supplier<T> call) {
        try {
            return call.get();
        } catch (HttpClientErrorException e) {
            if (e.getStatusCode().isSameCodeAs(HttpStatus.NOT_FOUND)) {
                throw new DownstreamException("NOT_FOUND", "Not found.", e);
            }
            if (e.getStatusCode().isSameCodeAs(HttpStatus.FORBIDDEN)) {
                throw new DownstreamException("FORBIDDEN", "Your roles do not allow this.", e);
            }
            throw new DownstreamException("BAD_REQUEST", e.getResponseBodyAsString(), e);
        } catch (RestClientException e) {
            throw new DownstreamException(code, "A service this query needs is unavailable; try again.", e);
        }
    }
}
