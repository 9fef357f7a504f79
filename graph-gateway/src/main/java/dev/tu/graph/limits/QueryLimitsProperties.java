package dev.tu.graph.limits;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Limits on one GraphQL operation.
 *
 * @param maxDepth      deepest field nesting
 * @param maxComplexity sum of field costs (each field costs 1)
 * @param maxAliases    aliased fields in one document (alias batching multiplies work)
 * @param maxTokens     lexer tokens in one document (stops huge documents before parsing)
 */
@Validated
@ConfigurationProperties("tu.graphql.limits")
record QueryLimitsProperties(
        @DefaultValue("8") @Min(2) int maxDepth,
        @DefaultValue("300") @Min(10) int maxComplexity,
        @DefaultValue("10") @Min(0) int maxAliases,
        @DefaultValue("2000") @Min(100) int maxTokens) {
}
