package dev.tu.graph.http;

import graphql.language.Document;
import graphql.language.OperationDefinition;
import graphql.parser.Parser;
import graphql.parser.ParserEnvironment;
import graphql.parser.ParserOptions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.boot.graphql.autoconfigure.GraphQlProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.core.annotation.Order;
import org.springframework.graphql.MediaTypes;
import org.springframework.graphql.server.WebGraphQlHandler;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.server.webmvc.GraphQlHttpHandler;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.servlet.function.RequestPredicate;
import org.springframework.web.servlet.function.RequestPredicates;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Routes ahead of Spring for GraphQL's (which answers every GET with 405): GET with the request in the
 * query string ({@code query}, {@code operationName}, {@code variables} and {@code extensions} as JSON),
 * answered exactly as a POST would be.
 */
@Configuration(proxyBeanMethods = false)
class GraphQlOverHttp {

    private static final List<MediaType> ANSWERABLE = List.of(MediaTypes.APPLICATION_GRAPHQL_RESPONSE,
            MediaType.APPLICATION_JSON, MediaType.TEXT_EVENT_STREAM);

    @Bean
    @Order(-1)
    RouterFunction<ServerResponse> graphQlOverGet(WebGraphQlHandler handler, GraphQlProperties properties) {
        String path = properties.getHttp().getPath();
        GetHandler get = new GetHandler(handler);
        return RouterFunctions.route()
                .route(RequestPredicates.path(path).and(unanswerableAccept()), GraphQlOverHttp::notAcceptable)
                .GET(path, get::handle)
                .build();
    }

    /** An Accept header that names none of the types this endpoint writes (spec: 406). */
    private static RequestPredicate unanswerableAccept() {
        return request -> {
            try {
                List<MediaType> accepted = request.headers().accept();
                return !accepted.isEmpty() && accepted.stream()
                        .noneMatch(type -> ANSWERABLE.stream().anyMatch(type::isCompatibleWith));
            } catch (InvalidMediaTypeException e) {
                return true;
            }
        };
    }

    private static ServerResponse notAcceptable(ServerRequest request) {
        return problem(HttpStatus.NOT_ACCEPTABLE, "NOT_ACCEPTABLE",
                "This endpoint answers application/graphql-response+json or application/json.");
    }

    static ServerResponse problem(HttpStatus status, String code, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setProperty("code", code);
        return ServerResponse.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    /** GET: the same execution and response rules as POST; a mutation is refused before it runs. */
    static final class GetHandler {

        private final WebGraphQlHandler handler;
        private final ResponseWriter writer;
        private final JsonMapper json = JsonMapper.builder().build();

        GetHandler(WebGraphQlHandler handler) {
            this.handler = handler;
            this.writer = new ResponseWriter(handler);
        }

        ServerResponse handle(ServerRequest request) {
            Optional<String> query = request.param("query").filter(value -> !value.isBlank());
            if (query.isEmpty()) {
                return problem(HttpStatus.BAD_REQUEST, "MISSING_QUERY",
                        "A GraphQL request over GET needs a 'query' parameter.");
            }
            String operationName = request.param("operationName").filter(value -> !value.isBlank()).orElse(null);
            if (isMutation(query.get(), operationName)) {
                return ServerResponse.status(HttpStatus.METHOD_NOT_ALLOWED).allow(HttpMethod.POST)
                        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                        .body(withCode(ProblemDetail.forStatusAndDetail(HttpStatus.METHOD_NOT_ALLOWED,
                                "Mutations are only accepted over POST."), "MUTATION_OVER_GET"));
            }
            Map<String, Object> body = new HashMap<>();
            body.put("query", query.get());
            body.put("operationName", operationName);
            try {
                body.put("variables", jsonObject(request, "variables"));
                body.put("extensions", jsonObject(request, "extensions"));
            } catch (JacksonException | ClassCastException e) {
                return problem(HttpStatus.BAD_REQUEST, "BAD_REQUEST_PARAMETER",
                        "'variables' and 'extensions' must be JSON objects.");
            }
            WebGraphQlRequest graphQlRequest = new WebGraphQlRequest(request.uri(), request.headers().asHttpHeaders(),
                    cookies(request), request.remoteAddress().orElse(null), request.attributes(), body,
                    UUID.randomUUID().toString(), LocaleContextHolder.getLocale());
            return writer.write(request, handler.handleRequest(graphQlRequest));
        }

        @SuppressWarnings("unchecked")
        private Map<String, Object> jsonObject(ServerRequest request, String name) {
            Optional<String> value = request.param(name).filter(text -> !text.isBlank());
            return value.isEmpty() ? null : (Map<String, Object>) json.readValue(value.get(), Map.class);
        }

        /**
         * Which operation would run, as the engine would pick it. A document that does not parse is not a
         * mutation here: the engine reports its syntax error (400 with graphql-response+json).
         */
        private static boolean isMutation(String query, String operationName) {
            Document document;
            try {
                document = new Parser().parseDocument(ParserEnvironment.newParserEnvironment().document(query)
                        .parserOptions(ParserOptions.getDefaultOperationParserOptions()).build());
            } catch (RuntimeException e) {
                return false;
            }
            List<OperationDefinition> operations = document.getDefinitionsOfType(OperationDefinition.class);
            Optional<OperationDefinition> selected = operationName == null
                    ? (operations.size() == 1 ? Optional.of(operations.getFirst()) : Optional.empty())
                    : operations.stream().filter(operation -> operationName.equals(operation.getName())).findFirst();
            return selected.map(operation -> operation.getOperation() == OperationDefinition.Operation.MUTATION)
                    .orElse(false);
        }

        private static MultiValueMap<String, HttpCookie> cookies(ServerRequest request) {
            MultiValueMap<String, HttpCookie> cookies = new LinkedMultiValueMap<>();
            request.cookies().forEach((name, values) -> values.forEach(
                    cookie -> cookies.add(name, new HttpCookie(cookie.getName(), cookie.getValue()))));
            return cookies;
        }
    }

    private static ProblemDetail withCode(ProblemDetail problem, String code) {
        problem.setProperty("code", code);
        return problem;
    }

    /** Spring for GraphQL's own response rules (media type from Accept, 400 without data for graphql-response+json). */
    private static final class ResponseWriter extends GraphQlHttpHandler {

        ResponseWriter(WebGraphQlHandler handler) {
            super(handler);
        }

        ServerResponse write(ServerRequest request, Mono<WebGraphQlResponse> response) {
            return prepareResponse(request, response);
        }
    }
}
