package dev.tu.testsupport.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The generator against a small HTTP server of the test's own that accepts what is sent as a photo and
 * refuses the rest with a problem: the counts and ids in the report must match what it answered.
 */
class LoadGeneratorTest {

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger acceptedByServer = new AtomicInteger();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/images", exchange -> {
            requests.incrementAndGet();
            byte[] body = exchange.getRequestBody().readAllBytes();
            String text = new String(body, StandardCharsets.ISO_8859_1);
            boolean bearer = "Bearer token-1".equals(exchange.getRequestHeaders().getFirst("Authorization"));
            boolean photo = LoadGenerator.PHOTOS.stream().anyMatch(name -> text.contains("filename=\"" + name + "\""));
            String answer;
            if (bearer && photo) {
                acceptedByServer.incrementAndGet();
                answer = "{\"id\":\"" + UUID.randomUUID() + "\",\"status\":\"UPLOADED\"}";
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(202, answer.length());
            } else {
                answer = "{\"title\":\"Unsupported image\",\"status\":415}";
                exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
                exchange.sendResponseHeaders(415, answer.length());
            }
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer.getBytes(StandardCharsets.UTF_8));
            }
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void reportsWhatTheServerAcceptedAndRefused() {
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
        LoadReport report = new LoadGenerator(new LoadGenerator.Config(base, () -> "token-1", 40, 4,
                Duration.ofSeconds(1), 0.5, 7)).run();

        assertThat(report.sent()).isEqualTo(requests.get()).isBetween(38, 41);
        assertThat(report.accepted()).hasSize(acceptedByServer.get()).isNotEmpty()
                .allSatisfy(upload -> assertThat(upload.hostile()).isFalse());
        assertThat(report.rejectedByReason()).containsOnlyKeys("415 Unsupported image");
        assertThat(report.rejectedByReason().get("415 Unsupported image"))
                .isEqualTo(report.sent() - report.accepted().size());
        assertThat(report.errorsByKind()).isEmpty();
        assertThat(report.uploadLatency().count()).isEqualTo(report.sent());
        assertThat(report.table()).contains("accepted       " + report.accepted().size());
    }

    @Test
    void anUnreachableServiceIsCountedAsErrors() throws IOException {
        int port;
        try (var socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        LoadReport report = new LoadGenerator(new LoadGenerator.Config(URI.create("http://127.0.0.1:" + port + "/"),
                () -> "t", 20, 2, Duration.ofMillis(300), 0, 1)).run();
        assertThat(report.accepted()).isEmpty();
        assertThat(report.errorsByKind()).containsOnlyKeys("ConnectException");
        assertThat(report.errorsByKind().get("ConnectException")).isEqualTo(report.sent());
    }

    @Test
    void hostileSamplesAreAllBuilt() {
        assertThat(LoadGenerator.hostileSamples()).hasSize(6).allSatisfy(sample -> {
            assertThat(sample.hostile()).isTrue();
            assertThat(sample.bytes()).isNotEmpty();
        });
    }
}
