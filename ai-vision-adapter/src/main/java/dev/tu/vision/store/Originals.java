package dev.tu.vision.store;

import java.io.UncheckedIOException;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The object store as the adapter uses it: originals are read, display derivatives are written under
 * {@code derivatives/}. Store outages are plain exceptions: the caller retries them.
 */
@Component
@EnableConfigurationProperties(StoreProperties.class)
public class Originals implements AutoCloseable {

    private final S3Client s3;
    private final String bucket;

    public Originals(StoreProperties properties) {
        this.bucket = properties.bucket();
        this.s3 = S3Client.builder()
                .endpointOverride(properties.endpoint())
                .region(Region.of(properties.region()))
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(properties.accessKey(), properties.secretKey())))
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(properties.timeout())
                        .socketTimeout(properties.timeout()).build())
                .build();
    }

    /** @throws ObjectMissingException when the store has no such object */
    public byte[] read(String key) {
        try {
            return s3.getObjectAsBytes(request -> request.bucket(bucket).key(key)).asByteArray();
        } catch (NoSuchKeyException e) {
            throw new ObjectMissingException(key, e);
        } catch (UncheckedIOException e) {
            throw new IllegalStateException("Object store unreachable", e);
        }
    }

    /** Writes a derivative; originals are never written by this service. */
    public void writeDerivative(String key, byte[] bytes, String contentType) {
        if (!key.startsWith("derivatives/")) {
            throw new IllegalArgumentException("The adapter writes only under derivatives/: " + key);
        }
        try {
            s3.putObject(request -> request.bucket(bucket).key(key).contentType(contentType),
                    software.amazon.awssdk.core.sync.RequestBody.fromBytes(bytes));
        } catch (UncheckedIOException e) {
            throw new IllegalStateException("Object store unreachable", e);
        }
    }

    @Override
    public void close() {
        s3.close();
    }
}
