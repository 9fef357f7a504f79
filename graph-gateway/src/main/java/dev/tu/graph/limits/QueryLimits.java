package dev.tu.graph.limits;

import graphql.ErrorClassification;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.analysis.MaxQueryComplexityInstrumentation;
import graphql.analysis.MaxQueryDepthInstrumentation;
import graphql.execution.AbortExecutionException;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimpleInstrumentationContext;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationValidationParameters;
import graphql.language.Field;
import graphql.language.Node;
import graphql.parser.ParserOptions;
import graphql.validation.ValidationError;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Instrumentation beans Spring for GraphQL adds to the engine, each refusing with its own code. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(QueryLimitsProperties.class)
class QueryLimits {

    QueryLimits(QueryLimitsProperties limits) {
        // Applies to every document this JVM parses: a token bomb is refused by the lexer.
        ParserOptions.setDefaultOperationParserOptions(ParserOptions.getDefaultOperationParserOptions()
                .transform(options -> options.maxTokens(limits.maxTokens())));
    }

    @Bean
    MaxQueryDepthInstrumentation maxQueryDepth(QueryLimitsProperties limits) {
        // The callback may throw its own abort, which is how the error gets a code instead of a bare message.
        return new MaxQueryDepthInstrumentation(limits.maxDepth(), info -> {
            throw abort("QUERY_TOO_DEEP",
                    "The query is " + info.getDepth() + " levels deep; at most " + limits.maxDepth() + " are allowed.");
        });
    }

    @Bean
    MaxQueryComplexityInstrumentation maxQueryComplexity(QueryLimitsProperties limits) {
        return new MaxQueryComplexityInstrumentation(limits.maxComplexity(), info -> {
            throw abort("QUERY_TOO_COMPLEX",
                    "The query costs " + info.getComplexity() + "; at most " + limits.maxComplexity() + " is allowed.");
        });
    }

    @Bean
    SimplePerformantInstrumentation maxAliases(QueryLimitsProperties limits) {
        return new SimplePerformantInstrumentation() {
            @Override
            public InstrumentationContext<List<ValidationError>> beginValidation(
                    InstrumentationValidationParameters parameters, InstrumentationState state) {
                int aliases = countAliases(parameters.getDocument());
                if (aliases > limits.maxAliases()) {
                    throw abort("TOO_MANY_ALIASES", "The query uses " + aliases + " aliases; at most "
                            + limits.maxAliases() + " are allowed.");
                }
                return SimpleInstrumentationContext.noOp();
            }
        };
    }

    private static int countAliases(Node<?> node) {
        int own = node instanceof Field field && field.getAlias() != null ? 1 : 0;
        int children = 0;
        for (Node<?> child : node.getChildren()) {
            children += countAliases(child);
        }
        return own + children;
    }

    private static AbortExecutionException abort(String code, String message) {
        GraphQLError error = GraphqlErrorBuilder.newError().message(message)
                .errorType(LimitExceeded.INSTANCE).extensions(Map.of("code", code)).build();
        return new AbortExecutionException(List.of(error));
    }

    /** Classification of errors from these limits. */
    enum LimitExceeded implements ErrorClassification {
        INSTANCE;

        @Override
        public Object toSpecification(GraphQLError error) {
            return "LIMIT_EXCEEDED";
        }
    }
}
