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

/** Original bytes by object key. Store outages are plain exceptions: the caller retries them. */
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

    @Override
    public void close() {
        s3.close();
    }
}
