package dev.tu.graph.images;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How image fields are resolved.
 *
 * @param batchAnalyses {@code true}: {@code Image.analysis} for a whole page in one orchestrator call.
 *                      {@code false} resolves it one call per image, as a plain field resolver would;
 *                      it exists only so the batching benchmark can measure what batching saves.
 */
@ConfigurationProperties("tu.graphql.images")
record ImageGraphProperties(@DefaultValue("true") boolean batchAnalyses) {
}
