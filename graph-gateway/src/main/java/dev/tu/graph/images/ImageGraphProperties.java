package dev.tu.graph.images;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How image fields are resolved.
 *
 * @param batchAnalyses {@code true}: {@code Image.analysis} for a whole page in one orchestrator call.
 *                      {@code false} resolves it one call per image, as a plain field resolver would;
 *                      it exists only so the batching benchmark can measure what batching saves.
 * @param stuckAfter    how long an image may wait at a step with no deadline (stored, queued) before its
 *                      whereabouts call it stuck; an attempt is stuck once past its own deadline by this much
 */
@ConfigurationProperties("tu.graphql.images")
record ImageGraphProperties(@DefaultValue("true") boolean batchAnalyses,
        @DefaultValue("2m") java.time.Duration stuckAfter) {
}
