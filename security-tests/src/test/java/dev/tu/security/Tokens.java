package dev.tu.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.net.URI;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * Forged and hand-signed tokens, built with Nimbus JOSE (the library Spring Security verifies with): the
 * attacks change one thing each, so a refusal can only be about that one thing.
 */
final class Tokens {

    private Tokens() {
    }

    /** A fresh RSA key with {@code kid}. */
    static RSAKey rsaKey(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Claims as Keycloak issues them for a user of {@code tenant}, valid for five minutes from now. */
    static JWTClaimsSet.Builder claims(String issuer, String tenant) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience("tu-api")
                .subject(UUID.randomUUID().toString())
                .jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now.minusSeconds(1)))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))))
                .claim("preferred_username", "mallory")
                .claim("tenant", tenant)
                .claim("roles", List.of("tu-reader", "tu-uploader", "tu-analyst"));
    }

    /** RS256-signed with {@code key}, its kid in the header. */
    static String rs256(RSAKey key, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An unsecured JWT ({@code alg: none}, empty signature) naming {@code kid}. */
    static String unsigned(JWTClaimsSet claims) {
        return new PlainJWT(claims).serialize();
    }

    /**
     * The key-confusion attack: HS256 with the server's RSA public key (its X.509 encoding, as a
     * verifier that trusts the header's alg would use it) as the HMAC secret.
     */
    static String hs256WithPublicKey(RSAKey publicKey, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(publicKey.getKeyID()).build(),
                    claims);
            jwt.sign(new MACSigner(publicKey.toRSAPublicKey().getEncoded()));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The claims of a real token (its signature is not checked here: we only copy them). */
    static JWTClaimsSet claimsOf(String token) {
        try {
            return SignedJWT.parse(token).getJWTClaimsSet();
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The real token's header and signature around a changed payload. */
    static String withPayload(String token, JWTClaimsSet claims) {
        String[] parts = token.split("\\.");
        return parts[0] + "." + claims.toPayload().toBase64URL() + "." + parts[2];
    }

    /** The realm's signing key (public part), from its JWK set. */
    static RSAKey realmSigningKey(String issuer) {
        try {
            JWKSet set = JWKSet.load(URI.create(issuer + "/protocol/openid-connect/certs").toURL());
            return set.getKeys().stream()
                    .filter(key -> key instanceof RSAKey && "sig".equals(key.getKeyUse() == null ? "sig" : key.getKeyUse().identifier()))
                    .map(RSAKey.class::cast).findFirst().orElseThrow();
        } catch (IOException | ParseException e) {
            throw new IllegalStateException(e);
        }
    }
}
