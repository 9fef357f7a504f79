package dev.tu.graph.downstream;

import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where the owning services are and how long to wait for them.
 *
 * @param ingestionUri    base URI of ingestion-service
 * @param orchestratorUri base URI of analysis-orchestrator
 * @param timeout         read timeout of one downstream call; past it the field is a GraphQL error
 */
@Validated
@ConfigurationProperties("tu.downstream")
public record DownstreamProperties(
        @NotNull URI ingestionUri,
        @NotNull URI orchestratorUri,
        @DefaultValue("5s") @NotNull Duration timeout) {
}
