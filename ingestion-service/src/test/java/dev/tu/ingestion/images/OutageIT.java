package dev.tu.ingestion.images;

import static dev.tu.ingestion.images.IngestionTestSupport.client;
import static dev.tu.ingestion.images.IngestionTestSupport.infra;
import static dev.tu.ingestion.images.IngestionTestSupport.upload;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tu.testsupport.HostileImages;
import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.netcrusher.core.reactor.NioReactor;
import org.netcrusher.tcp.TcpCrusher;
import org.netcrusher.tcp.TcpCrusherBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Store or database away: the upload is refused with 503 and nothing is half-written; when the
 * server is back, uploads work again without a restart. The service reaches both through TCP proxies
 * this test opens and closes; the real servers are never touched.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.server.port=0",
        "spring.datasource.hikari.connection-timeout=2000",
        "tu.storage.timeout=3s"})
class OutageIT {

    private static final NioReactor reactor = reactor();
    private static final TcpCrusher database = crusher(infra.get("TU_POSTGRES_HOST"),
            Integer.parseInt(infra.get("TU_POSTGRES_PORT")));
    private static final TcpCrusher store = crusher("127.0.0.1",
            java.net.URI.create(infra.get("TU_S3_ENDPOINT")).getPort());
    /** Counts rows on the real database, not through the proxy the service uses. */
    private static final JdbcClient direct = JdbcClient.create(new DriverManagerDataSource("jdbc:postgresql://"
            + infra.get("TU_POSTGRES_HOST") + ":" + infra.get("TU_POSTGRES_PORT") + "/tu_ingestion_test",
            "tu_ingestion", "dev-only-ingestion"));

    @DynamicPropertySource
    static void throughProxies(DynamicPropertyRegistry registry) {
        IngestionTestSupport.realInfrastructure(registry);
        registry.add("spring.datasource.url", () -> "jdbc:postgresql://127.0.0.1:"
                + database.getBindAddress().getPort() + "/tu_ingestion_test");
        registry.add("tu.storage.endpoint", () -> "http://127.0.0.1:" + store.getBindAddress().getPort());
    }

    @LocalServerPort
    int port;

    @AfterEach
    void reopen() throws IOException {
        if (!database.isOpen()) {
            database.open();
        }
        if (!store.isOpen()) {
            store.open();
        }
    }

    @AfterAll
    static void closeProxies() {
        database.close();
        store.close();
        reactor.close();
    }

    @Test
    void storeDownIs503WithNothingWrittenThenRecovers() throws IOException {
        long rows = rows();
        store.close();

        ResponseEntity<String> refused = upload(client(port), "alice", HostileImages.jpeg(64, 64), "image/jpeg",
                "a.jpg", null, null);

        assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(refused.getBody()).contains("STORE_UNAVAILABLE");
        assertThat(rows()).isEqualTo(rows);

        store.open();
        assertRecovers();
    }

    @Test
    void databaseDownIs503AndTheStoredBytesAreRemovedThenRecovers() throws IOException {
        long rows = rows();
        long objects = IngestionTestSupport.objectCount("originals/acme/");
        database.close();

        ResponseEntity<String> refused = upload(client(port), "alice", HostileImages.jpeg(64, 64), "image/jpeg",
                "a.jpg", null, null);

        assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(refused.getBody()).contains("DATABASE_UNAVAILABLE");
        assertThat(IngestionTestSupport.objectCount("originals/acme/")).as("no orphaned original").isEqualTo(objects);

        database.open();
        assertThat(rows()).isEqualTo(rows);
        assertRecovers();
    }

    /** A client retrying on 503 gets through once the server is back, without a restart of the service. */
    private void assertRecovers() {
        org.awaitility.Awaitility.await("uploads accepted again").atMost(java.time.Duration.ofSeconds(20))
                .until(() -> upload(client(port), "alice", HostileImages.jpeg(64, 64), "image/jpeg", "a.jpg", null, null)
                        .getStatusCode() == HttpStatus.ACCEPTED);
    }

    private static long rows() {
        return direct.sql("select count(*) from image").query(Long.class).single();
    }

    private static NioReactor reactor() {
        try {
            return new NioReactor();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static TcpCrusher crusher(String host, int port) {
        try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            int bindPort = free.getLocalPort();
            free.close();
            return TcpCrusherBuilder.builder().withReactor(reactor)
                    .withBindAddress("127.0.0.1", bindPort)
                    .withConnectAddress(host, port)
                    .buildAndOpen();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
