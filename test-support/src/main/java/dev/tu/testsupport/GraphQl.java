package dev.tu.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A GraphQL client as small as the tests need: POST over HTTP, and subscriptions over WebSocket with
 * the graphql-transport-ws protocol (connection_init, subscribe, next…), token in the handshake and in
 * the connection_init payload.
 */
public final class GraphQl {

    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final JsonMapper json = JsonMapper.builder().build();

    private final URI endpoint;

    public GraphQl(URI endpoint) {
        this.endpoint = endpoint;
    }

    /** POSTs a query; returns the status and the parsed body. */
    public Response post(String token, String query, Map<String, Object> variables) {
        String body = json.writeValueAsString(Map.of("query", query, "variables", variables));
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Accept", "application/graphql-response+json, application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode parsed = response.body().isBlank() ? null : json.readTree(response.body());
            return new Response(response.statusCode(), parsed, response.body());
        } catch (IOException e) {
            throw new IllegalStateException("GraphQL call to " + endpoint + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An HTTP answer. */
    public record Response(int status, JsonNode json, String raw) {

        /** The {@code extensions.code} of every error. */
        public List<String> errorCodes() {
            if (json == null || !json.has("errors")) {
                return List.of();
            }
            return json.get("errors").valueStream()
                    .map(error -> error.path("extensions").path("code").asString(""))
                    .toList();
        }
    }

    /** Opens a subscription; its messages ({@code next} payloads) collect in {@link Subscription#events()}. */
    public Subscription subscribe(String token, String query, Map<String, Object> variables) {
        URI ws = URI.create(endpoint.toString().replaceFirst("^http", "ws"));
        Subscription subscription = new Subscription();
        WebSocket socket = http.newWebSocketBuilder()
                .subprotocols("graphql-transport-ws")
                .header("Authorization", "Bearer " + token)
                .connectTimeout(Duration.ofSeconds(10))
                .buildAsync(ws, subscription).orTimeout(15, TimeUnit.SECONDS).join();
        subscription.socket = socket;
        subscription.send(Map.of("type", "connection_init", "payload", Map.of("Authorization", "Bearer " + token)));
        subscription.acknowledged.orTimeout(10, TimeUnit.SECONDS).join();
        subscription.send(Map.of("id", "1", "type", "subscribe",
                "payload", Map.of("query", query, "variables", variables)));
        return subscription;
    }

    /** A running subscription. */
    public static final class Subscription implements WebSocket.Listener, AutoCloseable {

        private final List<JsonNode> events = new CopyOnWriteArrayList<>();
        private final List<JsonNode> errors = new CopyOnWriteArrayList<>();
        private final CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        private volatile WebSocket socket;
        private volatile Integer closeCode;

        /** The {@code payload} of each {@code next} message so far. */
        public List<JsonNode> events() {
            return List.copyOf(events);
        }

        /** {@code error} messages so far. */
        public List<JsonNode> errors() {
            return List.copyOf(errors);
        }

        /** The close code, once the server closed the socket. */
        public Integer closeCode() {
            return closeCode;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                JsonNode message = json.readTree(partial.toString());
                partial.setLength(0);
                switch (message.path("type").asString()) {
                    case "connection_ack" -> acknowledged.complete(null);
                    case "next" -> events.add(message.get("payload"));
                    case "error" -> errors.add(message);
                    case "ping" -> send(Map.of("type", "pong"));
                    default -> {
                    }
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeCode = statusCode;
            acknowledged.completeExceptionally(new IllegalStateException("closed " + statusCode + " " + reason));
            return null;
        }

        private void send(Map<String, Object> message) {
            socket.sendText(json.writeValueAsString(message), true).join();
        }

        @Override
        public void close() {
            if (socket != null && !socket.isOutputClosed()) {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").orTimeout(5, TimeUnit.SECONDS)
                        .exceptionally(e -> null).join();
            }
        }
    }
}
