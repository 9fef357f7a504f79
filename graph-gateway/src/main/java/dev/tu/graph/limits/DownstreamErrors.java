package dev.tu.graph.limits;

import dev.tu.graph.downstream.DownstreamException;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.schema.DataFetchingEnvironment;
import java.util.Map;
import org.springframework.graphql.execution.DataFetcherExceptionResolverAdapter;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.stereotype.Component;

/** A failed owner becomes an error on the fields it could not resolve; the rest of the result stands. */
@Component
class DownstreamErrors extends DataFetcherExceptionResolverAdapter {

    @Override
    protected GraphQLError resolveToSingleError(Throwable exception, DataFetchingEnvironment environment) {
        if (!(exception instanceof DownstreamException downstream)) {
            return null;
        }
        ErrorType type = switch (downstream.code()) {
            case "NOT_FOUND" -> ErrorType.NOT_FOUND;
            case "FORBIDDEN" -> ErrorType.FORBIDDEN;
            case "BAD_USER_INPUT", "BAD_REQUEST" -> ErrorType.BAD_REQUEST;
            default -> ErrorType.INTERNAL_ERROR;
        };
        return GraphqlErrorBuilder.newError(environment).errorType(type).message(downstream.getMessage())
                .extensions(Map.of("code", downstream.code())).build();
    }
}
