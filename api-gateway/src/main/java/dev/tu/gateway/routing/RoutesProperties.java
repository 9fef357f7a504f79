package dev.tu.gateway.routing;

import jakarta.validation.constraints.NotNull;
import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The upstream services the gateway routes to; in the cluster these are Kubernetes DNS names.
 *
 * @param ingestionUri base URI of ingestion-service (image upload and image reads)
 * @param graphUri     base URI of graph-gateway (GraphQL over HTTP and WebSocket)
 */
@Validated
@ConfigurationProperties("tu.routes")
record RoutesProperties(@NotNull URI ingestionUri, @NotNull URI graphUri) {
}
