package dev.tu.cli.api;

import dev.tu.cli.CliException;
import dev.tu.cli.ExitCodes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Flow;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An HTTP API as the CLI uses it: the api-gateway's GraphQL, uploads and subscription socket, and the
 * JSON resources behind it or beside it (the orchestrator's admin API).
 */
public final class Gateway {

    private static final JsonMapper json = JsonMapper.builder().build();

    private final HttpClient http;
    private final URI base;
    private final Supplier<String> token;

    private final String name;
    private final String hint;

    public Gateway(HttpClient http, URI base, Supplier<String> token) {
        this(http, base, token, "The gateway", "Is the suite running (./dev up)? Another target: --profile kind or --gateway URL.");
    }

    /** {@code name} and {@code hint} say what could not be reached and what to check. */
    public Gateway(HttpClient http, URI base, Supplier<String> token, String name, String hint) {
        this.http = http;
        this.base = base;
        this.token = token;
        this.name = name;
        this.hint = hint;
    }

    /** A GraphQL answer: {@code data} and {@code errors} as the server sent them. */
    public record GraphQlAnswer(JsonNode body) {

        public JsonNode data() {
            return body.path("data");
        }

        public List<JsonNode> errors() {
            return body.path("errors").valueStream().toList();
        }

        /** The data, or the first error as a failure with the matching exit code. */
        public JsonNode dataOrThrow() {
            if (errors().isEmpty()) {
                return data();
            }
            JsonNode first = errors().getFirst();
            String code = first.path("extensions").path("code").asString("");
            int exit = switch (code) {
                case "UNAUTHORIZED", "FORBIDDEN" -> ExitCodes.AUTH;
                case "NOT_FOUND" -> ExitCodes.NOT_FOUND;
                case "UNAVAILABLE" -> ExitCodes.UNAVAILABLE;
                default -> ExitCodes.FAILED;
            };
            throw new CliException(exit, first.path("message").asString("GraphQL error")
                    + (code.isEmpty() ? "" : " (" + code + ")"));
        }
    }

    public GraphQlAnswer graphql(String query, Map<String, Object> variables) {
        byte[] body = json.writeValueAsBytes(Map.of("query", query, "variables", variables));
        HttpRequest request = authorized(HttpRequest.newBuilder(base.resolve("/graphql")))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Accept", "application/graphql-response+json, application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<String> response = send(request);
        JsonNode parsed = parse(response);
        if (parsed != null && (parsed.has("data") || parsed.has("errors"))) {
            return new GraphQlAnswer(parsed);
        }
        throw failure(response, parsed);
    }

    /**
     * A JSON call to a REST resource (the administrators' API); an answer outside
     * 2xx throws with the server's problem detail and the exit code for its status.
     */
    public JsonNode call(String method, String path) {
        HttpRequest request = authorized(HttpRequest.newBuilder(base.resolve(path)))
                .timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json, application/problem+json")
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<String> response = send(request);
        JsonNode parsed = parse(response);
        if (response.statusCode() / 100 != 2) {
            throw failure(response, parsed);
        }
        return parsed == null ? json.createObjectNode() : parsed;
    }

    /** What the gateway answered to one upload. */
    public record Upload(int status, JsonNode body) {
    }

    /**
     * POSTs one photo as multipart/form-data; {@code sent} hears the bytes as they leave. Failures the
     * server explains (4xx/5xx problem details) come back as an {@link Upload}; an unreachable gateway
     * throws.
     */
    public Upload upload(Path file, String contentType, String assetId, LongConsumer sent) throws IOException {
        String boundary = "tu-" + UUID.randomUUID();
        ByteArrayOutputStream multipart = new ByteArrayOutputStream();
        String name = file.getFileName().toString().replaceAll("[\"\\r\\n]", "_");
        multipart.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                + name + "\"\r\nContent-Type: " + contentType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        multipart.writeBytes(Files.readAllBytes(file));
        multipart.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        URI uri = base.resolve("/api/v1/images" + (assetId == null ? ""
                : "?assetId=" + java.net.URLEncoder.encode(assetId, StandardCharsets.UTF_8)));
        HttpRequest request = authorized(HttpRequest.newBuilder(uri))
                .timeout(Duration.ofMinutes(2))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("Idempotency-Key", "cli-" + UUID.randomUUID())
                .POST(counting(multipart.toByteArray(), sent)).build();
        HttpResponse<String> response = send(request);
        JsonNode parsed = parse(response);
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            throw failure(response, parsed);
        }
        return new Upload(response.statusCode(), parsed == null ? json.createObjectNode() : parsed);
    }

    /** Opens the live subscription; see {@link Subscription}. */
    public Subscription subscribe(String query, Map<String, Object> variables, Subscription.Listener listener) {
        URI ws = URI.create(base.resolve("/graphql").toString().replaceFirst("^http", "ws"));
        return Subscription.open(http, ws, token.get(), query, variables, listener);
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder request) {
        return request.header("Authorization", "Bearer " + token.get());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new CliException(ExitCodes.UNAVAILABLE, name + " at " + base + " cannot be reached ("
                    + e.getClass().getSimpleName() + "). " + hint, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.FAILED, "Interrupted.");
        }
    }

    private static JsonNode parse(HttpResponse<String> response) {
        try {
            return response.body() == null || response.body().isBlank() ? null : json.readTree(response.body());
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** A problem+json answer (or none) as a failure with the exit code for its status. */
    static CliException failure(HttpResponse<String> response, JsonNode problem) {
        int status = response.statusCode();
        String detail = problem == null ? "" : problem.path("detail").asString(problem.path("title").asString(""));
        String message = switch (status) {
            case 401 -> "The gateway refused the token (HTTP 401): run tu login.";
            case 403 -> "Your account lacks the role for this (HTTP 403).";
            case 404 -> "Not found (HTTP 404).";
            case 409 -> "Refused (HTTP 409).";
            case 429 -> "Rate limited (HTTP 429): try again in a moment.";
            default -> "The gateway answered HTTP " + status + ".";
        };
        int exit = switch (status) {
            case 401, 403 -> ExitCodes.AUTH;
            case 404 -> ExitCodes.NOT_FOUND;
            case 502, 503, 504 -> ExitCodes.UNAVAILABLE;
            default -> ExitCodes.FAILED;
        };
        return new CliException(exit, detail.isBlank() ? message : message + " " + detail);
    }

    /** A body publisher that reports how many bytes have been handed to the connection. */
    private static HttpRequest.BodyPublisher counting(byte[] body, LongConsumer sent) {
        HttpRequest.BodyPublisher delegate = HttpRequest.BodyPublishers.ofByteArrays(chunks(body));
        return new HttpRequest.BodyPublisher() {
            @Override
            public long contentLength() {
                return body.length;
            }

            @Override
            public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
                delegate.subscribe(new Flow.Subscriber<>() {
                    private long total;

                    @Override
                    public void onSubscribe(Flow.Subscription subscription) {
                        subscriber.onSubscribe(subscription);
                    }

                    @Override
                    public void onNext(ByteBuffer item) {
                        total += item.remaining();
                        subscriber.onNext(item);
                        sent.accept(total);
                    }

                    @Override
                    public void onError(Throwable throwable) {
                        subscriber.onError(throwable);
                    }

                    @Override
                    public void onComplete() {
                        subscriber.onComplete();
                    }
                });
            }
        };
    }

    private static List<byte[]> chunks(byte[] body) {
        int size = 64 * 1024;
        List<byte[]> chunks = new java.util.ArrayList<>();
        for (int offset = 0; offset < body.length; offset += size) {
            chunks.add(java.util.Arrays.copyOfRange(body, offset, Math.min(body.length, offset + size)));
        }
        return chunks;
    }
}
