package dev.tu.graph.limits;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.execution.ResultPath;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.graphql.ResponseError;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Every error leaves with an {@code extensions.code}, so a client branches on a stable code and never on
 * a message: the engine's own refusals (a syntax error, a fragment cycle, an unknown field) carry only a
 * classification, which is turned into a code here; errors that already have a code keep it.
 */
@Component
class ErrorCodes implements WebGraphQlInterceptor {

    @Override
    public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
        return chain.next(request).map(response -> response.getErrors().stream().allMatch(ErrorCodes::hasCode)
                ? response
                : response.transform(result -> result.errors(response.getErrors().stream()
                        .map(ErrorCodes::withCode).toList())));
    }

    /** The code of an error that has none, from its classification. */
    static String codeOf(String classification) {
        return switch (classification) {
            case "InvalidSyntax" -> "GRAPHQL_PARSE_FAILED";
            case "ValidationError" -> "GRAPHQL_VALIDATION_FAILED";
            case "DataFetchingException" -> "INTERNAL_ERROR";
            // IntrospectionDisabled -> INTROSPECTION_DISABLED; Spring's own types (NOT_FOUND...) stay as they are.
            default -> classification.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(java.util.Locale.ROOT);
        };
    }

    private static boolean hasCode(ResponseError error) {
        return error.getExtensions().get("code") instanceof String;
    }

    private static GraphQLError withCode(ResponseError error) {
        if (hasCode(error)) {
            return asGraphQlError(error, error.getExtensions());
        }
        Map<String, Object> extensions = new LinkedHashMap<>(error.getExtensions());
        extensions.put("code", codeOf(error.getErrorType().toString()));
        return asGraphQlError(error, extensions);
    }

    private static GraphQLError asGraphQlError(ResponseError error, Map<String, Object> extensions) {
        GraphqlErrorBuilder<?> builder = GraphqlErrorBuilder.newError().message(error.getMessage())
                .errorType(error.getErrorType()).locations(error.getLocations()).extensions(extensions);
        List<Object> path = error.getParsedPath();
        return (path.isEmpty() ? builder : builder.path(ResultPath.fromList(path))).build();
    }
}
