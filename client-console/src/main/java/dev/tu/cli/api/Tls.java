package dev.tu.cli.api;

import dev.tu.cli.CliException;
import dev.tu.cli.ExitCodes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * TLS that trusts the JDK's certificate authorities plus one more from a PEM file: the kind deployment's
 * own CA (kind/up.sh writes kind/.state/tls/ca.crt). The JDK's anchors and the extra ones go into one
 * trust store, so the JDK's own PKIX validation and hostname checks decide, nothing hand-written.
 */
public final class Tls {

    private Tls() {
    }

    /** An SSL context for the HTTP and WebSocket clients that also trusts the certificates in {@code pem}. */
    public static SSLContext trusting(Path pem) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new javax.net.ssl.TrustManager[] {trustManager(pem)}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new CliException(ExitCodes.USAGE, "Cannot set up TLS with " + pem + ": " + e.getMessage(), e);
        }
    }

    /** The JDK's default anchors plus every certificate in {@code pem}. */
    static X509TrustManager trustManager(Path pem) throws GeneralSecurityException {
        KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            anchors.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        int n = 0;
        for (X509Certificate jdk : x509(defaultTrustManagerFactory(null)).getAcceptedIssuers()) {
            anchors.setCertificateEntry("jdk-" + n++, jdk);
        }
        Collection<? extends Certificate> extra = read(pem);
        int i = 0;
        for (Certificate certificate : extra) {
            anchors.setCertificateEntry("extra-" + i++, certificate);
        }
        return x509(defaultTrustManagerFactory(anchors));
    }

    private static Collection<? extends Certificate> read(Path pem) throws GeneralSecurityException {
        if (!Files.isReadable(pem)) {
            throw new CliException(ExitCodes.USAGE, "The CA certificate " + pem + " does not exist or cannot be read "
                    + "(--ca-cert or TU_CA_CERT).");
        }
        try (InputStream in = Files.newInputStream(pem)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new CliException(ExitCodes.USAGE, pem + " holds no PEM certificate.");
            }
            return certificates;
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "Cannot read " + pem + ": " + e.getMessage(), e);
        }
    }

    private static TrustManagerFactory defaultTrustManagerFactory(KeyStore anchors) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(anchors);
        return factory;
    }

    private static X509TrustManager x509(TrustManagerFactory factory) {
        for (var manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new IllegalStateException("The JDK offers no X.509 trust manager.");
    }
}
