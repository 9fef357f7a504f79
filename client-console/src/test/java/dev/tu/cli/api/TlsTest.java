package dev.tu.cli.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.tu.cli.CliException;
import dev.tu.cli.ExitCodes;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trusting an extra CA from a PEM file, like kind/up.sh's: a CA and a server certificate it signed are made
 * with the JDK's keytool, then a real HTTPS server on 127.0.0.1 presents that certificate.
 */
class TlsTest {

    private static final String PASSWORD = "test-only";

    @TempDir
    static Path dir;

    private static Path caPem;
    private static Path serverStore;

    @BeforeAll
    static void makeACaAndAServerCertificate() throws Exception {
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=tu test CA",
                "-ext", "bc:c", "-validity", "2", "-storetype", "PKCS12", "-keystore", "ca.p12");
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", "ca.p12", "-file", "ca.crt");
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", "server.p12");
        keytool("-certreq", "-alias", "server", "-keystore", "server.p12", "-file", "server.csr");
        keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", "ca.p12", "-infile", "server.csr", "-outfile", "server.crt",
                "-ext", "san=ip:127.0.0.1", "-ext", "eku=serverAuth", "-validity", "2");
        keytool("-importcert", "-noprompt", "-alias", "ca", "-keystore", "server.p12", "-file", "ca.crt");
        keytool("-importcert", "-noprompt", "-alias", "server", "-keystore", "server.p12", "-file", "server.crt");
        caPem = dir.resolve("ca.crt");
        serverStore = dir.resolve("server.p12");
        assertThat(Files.readString(caPem)).startsWith("-----BEGIN CERTIFICATE-----");
    }

    @Test
    void theContextTrustsTheCaFromThePemAndStillTheJdksOwn() throws Exception {
        X509TrustManager trust = Tls.trustManager(caPem);
        X509Certificate ca = certificate(caPem);
        X509Certificate server = certificate(dir.resolve("server.crt"));

        assertThat(Arrays.asList(trust.getAcceptedIssuers())).contains(ca);
        trust.checkServerTrusted(new X509Certificate[] {server, ca}, "ECDHE_ECDSA");

        List<X509Certificate> jdk = Arrays.asList(defaultTrust().getAcceptedIssuers());
        assertThat(jdk).as("the JDK has anchors of its own").isNotEmpty().doesNotContain(ca);
        assertThat(Arrays.asList(trust.getAcceptedIssuers())).as("the JDK's anchors plus the CA")
                .containsAll(jdk).hasSize(jdk.size() + 1);
        assertThatThrownBy(() -> defaultTrust().checkServerTrusted(new X509Certificate[] {server, ca}, "ECDHE_ECDSA"))
                .as("the JDK alone does not trust the test CA").isInstanceOf(CertificateException.class);
    }

    @Test
    void theHttpClientTalksToAServerWhoseCertificateTheCaSigned() throws Exception {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverContext()));
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        try {
            URI uri = URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/graphql");
            HttpClient trusting = HttpClient.newBuilder().sslContext(Tls.trusting(caPem)).build();
            assertThat(trusting.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding()).statusCode())
                    .isEqualTo(204);

            HttpClient plain = HttpClient.newHttpClient();
            assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding()))
                    .as("without the CA").isInstanceOf(SSLHandshakeException.class);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aMissingOrWrongFileIsAUsageError() throws Exception {
        assertThatThrownBy(() -> Tls.trusting(dir.resolve("nope.crt"))).isInstanceOf(CliException.class)
                .hasMessageContaining("does not exist")
                .extracting(e -> ((CliException) e).exitCode()).isEqualTo(ExitCodes.USAGE);
        Path garbage = Files.writeString(dir.resolve("garbage.crt"), "-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> Tls.trusting(garbage)).isInstanceOf(CliException.class)
                .extracting(e -> ((CliException) e).exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    private static SSLContext serverContext() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(serverStore.toFile())) {
            store.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    private static X509TrustManager defaultTrust() throws Exception {
        var factory = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        return (X509TrustManager) factory.getTrustManagers()[0];
    }

    private static X509Certificate certificate(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("-storepass", PASSWORD)); // PKCS12: the key's password is the store's
        Process keytool = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(String.join(" ", args) + ": " + output).isZero();
    }
}
