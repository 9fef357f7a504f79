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
 * A GraphQL client as small as the tests need: POST and GET over HTTP, and subscriptions over WebSocket
 * with the graphql-transport-ws protocol (connection_init, subscribe, next…), the token in the handshake
 * header, in the connection_init payload, or both.
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

    /** GETs a query (GraphQL over HTTP: {@code query} and JSON {@code variables} in the query string). */
    public HttpResponse<String> get(String token, String query, Map<String, Object> variables, String accept) {
        String uri = endpoint + "?query=" + encode(query)
                + (variables.isEmpty() ? "" : "&variables=" + encode(json.writeValueAsString(variables)));
        return send(token, HttpRequest.newBuilder(URI.create(uri)).GET().header("Accept", accept));
    }

    /** POSTs a body as it is, with the given Accept header (for the status codes of malformed requests). */
    public HttpResponse<String> postRaw(String token, String body, String accept) {
        return send(token, HttpRequest.newBuilder(endpoint).header("Content-Type", "application/json")
                .header("Accept", accept).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> send(String token, HttpRequest.Builder request) {
        request.timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("GraphQL call to " + endpoint + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Opens a subscription with the token both in the handshake header and in the {@code connection_init}
     * payload; its messages ({@code next} payloads) collect in {@link Subscription#events()}.
     */
    public Subscription subscribe(String token, String query, Map<String, Object> variables) {
        Connection connection = connect(token, Map.of("Authorization", "Bearer " + token));
        if (!connection.awaitAcknowledged(Duration.ofSeconds(10))) {
            connection.close();
            throw new IllegalStateException("closed " + connection.closeCode() + " " + connection.closeReason());
        }
        connection.subscribe("1", query, variables);
        return new Subscription(connection, "1");
    }

    /**
     * Opens a graphql-transport-ws connection and sends {@code connection_init} with {@code initPayload};
     * {@code headerToken} null opens it without an {@code Authorization} header, as a browser does.
     */
    public Connection connect(String headerToken, Map<String, Object> initPayload) {
        URI ws = URI.create(endpoint.toString().replaceFirst("^http", "ws"));
        Connection connection = new Connection();
        WebSocket.Builder builder = http.newWebSocketBuilder().subprotocols("graphql-transport-ws")
                .connectTimeout(Duration.ofSeconds(10));
        if (headerToken != null) {
            builder.header("Authorization", "Bearer " + headerToken);
        }
        connection.socket = builder.buildAsync(ws, connection).orTimeout(15, TimeUnit.SECONDS).join();
        connection.send(Map.of("type", "connection_init", "payload", initPayload));
        return connection;
    }

    /** One subscription on its own connection (the shape most tests need). */
    public static final class Subscription implements AutoCloseable {

        private final Connection connection;
        private final String id;

        private Subscription(Connection connection, String id) {
            this.connection = connection;
            this.id = id;
        }

        /** The {@code payload} of each {@code next} message so far. */
        public List<JsonNode> events() {
            return connection.events(id);
        }

        /** {@code error} messages so far. */
        public List<JsonNode> errors() {
            return connection.errors(id);
        }

        /** The close code, once the server closed the socket. */
        public Integer closeCode() {
            return connection.closeCode();
        }

        @Override
        public void close() {
            connection.close();
        }
    }

    /** A graphql-transport-ws connection: its acknowledgement, its subscriptions' messages by id, its close. */
    public static final class Connection implements WebSocket.Listener, AutoCloseable {

        private final Map<String, List<JsonNode>> events = new java.util.concurrent.ConcurrentHashMap<>();
        private final Map<String, List<JsonNode>> errors = new java.util.concurrent.ConcurrentHashMap<>();
        private final Map<String, Boolean> completed = new java.util.concurrent.ConcurrentHashMap<>();
        private final CompletableFuture<Boolean> acknowledged = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        private volatile WebSocket socket;
        private volatile Integer closeCode;
        private volatile String closeReason;

        /** True once {@code connection_ack} arrived; false when the server closed the socket instead. */
        public boolean awaitAcknowledged(Duration timeout) {
            return acknowledged.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).join();
        }

        /** Sends {@code subscribe} with this id. */
        public void subscribe(String id, String query, Map<String, Object> variables) {
            send(Map.of("id", id, "type", "subscribe", "payload", Map.of("query", query, "variables", variables)));
        }

        /** Sends {@code complete}: the client stops this subscription. */
        public void complete(String id) {
            send(Map.of("id", id, "type", "complete"));
        }

        /** The {@code payload} of each {@code next} message of subscription {@code id} so far. */
        public List<JsonNode> events(String id) {
            return List.copyOf(events.getOrDefault(id, List.of()));
        }

        /** The {@code error} messages of subscription {@code id} so far. */
        public List<JsonNode> errors(String id) {
            return List.copyOf(errors.getOrDefault(id, List.of()));
        }

        /** Whether the server sent {@code complete} for {@code id}. */
        public boolean isCompleted(String id) {
            return completed.containsKey(id);
        }

        /** The close code, once the server closed the socket. */
        public Integer closeCode() {
            return closeCode;
        }

        /** The close reason, once the server closed the socket. */
        public String closeReason() {
            return closeReason;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                JsonNode message = json.readTree(partial.toString());
                partial.setLength(0);
                String id = message.path("id").asString("");
                switch (message.path("type").asString()) {
                    case "connection_ack" -> acknowledged.complete(true);
                    case "next" -> events.computeIfAbsent(id, key -> new CopyOnWriteArrayList<>())
                            .add(message.get("payload"));
                    case "error" -> errors.computeIfAbsent(id, key -> new CopyOnWriteArrayList<>()).add(message);
                    case "complete" -> completed.put(id, true);
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
            closeReason = reason;
            acknowledged.complete(false);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            acknowledged.complete(false);
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
