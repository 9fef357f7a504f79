// A loopback upstream for the gateway benchmarks (run with `java SlowUpstream.java PORT DELAY_MS`):
// every answer waits DELAY_MS on a virtual thread, like an owner service that takes that long.
//   /api/v1/images/bench         {"items":[]}                 (api-gateway benchmark)
//   /api/v1/images?limit=N       a page of N images            (graph-gateway benchmark: ingestion)
//   /api/v1/analyses?imageIds=…  their analyses, one call       (orchestrator, batched)
//   /api/v1/analyses/{id}        one analysis                  (orchestrator, per item)
//   /counts                      calls so far per route, no delay; /reset sets them to zero
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

public class SlowUpstream {

    static final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    static long delayMs;

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        delayMs = Long.parseLong(args[1]);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", SlowUpstream::handle);
        server.start();
        System.out.println("SlowUpstream on 127.0.0.1:" + port + ", " + delayMs + " ms per answer");
    }

    static void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String query = exchange.getRequestURI().getRawQuery();
        if (path.equals("/counts")) {
            reply(exchange, new TreeMap<>(calls).entrySet().stream()
                    .map(e -> "\"" + e.getKey() + "\":" + e.getValue().sum())
                    .collect(Collectors.joining(",", "{", "}")));
            return;
        }
        if (path.equals("/reset")) {
            calls.clear();
            reply(exchange, "{}");
            return;
        }
        String route;
        String body;
        if (path.equals("/api/v1/images/bench")) {
            route = "images/bench";
            body = "{\"items\":[]}";
        } else if (path.equals("/api/v1/images")) {
            route = "images";
            int limit = Integer.parseInt(param(query, "limit", "20"));
            body = IntStream.range(0, limit).mapToObj(SlowUpstream::image)
                    .collect(Collectors.joining(",", "{\"items\":[", "],\"nextCursor\":null}"));
        } else if (path.equals("/api/v1/analyses")) {
            route = "analyses (batch)";
            String ids = param(query, "imageIds", "");
            body = java.util.Arrays.stream(ids.split(",")).filter(id -> !id.isEmpty()).map(SlowUpstream::analysis)
                    .collect(Collectors.joining(",", "{\"items\":[", "],\"nextCursor\":null}"));
        } else if (path.startsWith("/api/v1/analyses/")) {
            route = "analyses/{id}";
            body = analysis(path.substring("/api/v1/analyses/".length()));
        } else {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
        }
        calls.computeIfAbsent(route, key -> new LongAdder()).increment();
        try {
            Thread.sleep(delayMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        reply(exchange, body);
    }

    static String image(int i) {
        String id = String.format("00000000-0000-4000-8000-%012d", i);
        return "{\"id\":\"" + id + "\",\"assetId\":\"EXC-1\",\"originalName\":\"photo-" + i + ".jpg\","
                + "\"contentType\":\"image/jpeg\",\"sizeBytes\":123456,\"sha256\":\"" + "ab".repeat(32) + "\","
                + "\"width\":1280,\"height\":960,\"orientation\":1,\"capturedAt\":null,\"location\":null,"
                + "\"uploadedBy\":\"alice\",\"uploadedAt\":\"2026-12-02T00:00:00Z\"}";
    }

    static String analysis(String imageId) {
        return "{\"imageId\":\"" + imageId + "\",\"status\":\"COMPLETED\",\"attempts\":1,"
                + "\"receivedAt\":\"2026-12-02T00:00:00Z\",\"updatedAt\":\"2026-12-02T00:00:01Z\","
                + "\"result\":null,\"failureCode\":null,\"failureDetail\":null}";
    }

    static String param(String query, String name, String fallback) {
        if (query == null) {
            return fallback;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return fallback;
    }

    static void reply(HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
