package dev.tu.cli.api;

import dev.tu.cli.CliException;
import dev.tu.cli.ExitCodes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One GraphQL subscription over the graphql-transport-ws protocol: {@code connection_init} (token in
 * the payload and in the handshake's Authorization header), {@code connection_ack}, {@code subscribe},
 * then {@code next} messages until {@code complete}, an {@code error} or the socket closes.
 */
public final class Subscription implements WebSocket.Listener, AutoCloseable {

    /** Hears the subscription's payloads and its end. */
    public interface Listener {
        void next(JsonNode payload);

        void ended(String reason);
    }

    private static final JsonMapper json = JsonMapper.builder().build();

    private final Listener listener;
    private final CompletableFuture<Void> acknowledged = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile WebSocket socket;

    private Subscription(Listener listener) {
        this.listener = listener;
    }

    static Subscription open(HttpClient http, URI ws, String token, String query, Map<String, Object> variables,
            Listener listener) {
        Subscription subscription = new Subscription(listener);
        try {
            subscription.socket = http.newWebSocketBuilder()
                    .subprotocols("graphql-transport-ws")
                    .header("Authorization", "Bearer " + token)
                    .connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(ws, subscription).orTimeout(15, TimeUnit.SECONDS).join();
            subscription.send(Map.of("type", "connection_init", "payload", Map.of("Authorization", "Bearer " + token)));
            subscription.acknowledged.orTimeout(10, TimeUnit.SECONDS).join();
        } catch (CompletionException e) {
            throw new CliException(ExitCodes.UNAVAILABLE, "The live connection to " + ws + " failed: "
                    + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()), e);
        }
        subscription.send(Map.of("id", "1", "type", "subscribe", "payload", Map.of("query", query, "variables", variables)));
        return subscription;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            JsonNode message = json.readTree(partial.toString());
            partial.setLength(0);
            switch (message.path("type").asString("")) {
                case "connection_ack" -> acknowledged.complete(null);
                case "next" -> listener.next(message.path("payload"));
                case "error" -> listener.ended("the server refused the subscription: " + message.path("payload"));
                case "complete" -> listener.ended("the server completed the subscription");
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
        acknowledged.completeExceptionally(new IllegalStateException("closed " + statusCode + " " + reason));
        listener.ended("the connection closed (" + statusCode + (reason.isBlank() ? "" : " " + reason) + ")");
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        acknowledged.completeExceptionally(error);
        listener.ended("the connection failed: " + error.getMessage());
    }

    private void send(Map<String, Object> message) {
        socket.sendText(json.writeValueAsString(message), true).join();
    }

    @Override
    public void close() {
        WebSocket open = socket;
        if (open != null && !open.isOutputClosed()) {
            open.sendClose(WebSocket.NORMAL_CLOSURE, "done").orTimeout(5, TimeUnit.SECONDS)
                    .exceptionally(e -> null).join();
        }
    }
}
