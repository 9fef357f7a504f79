package dev.tu.ingestion.storage;

import java.io.InputStream;
import java.io.UncheckedIOException;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The originals bucket. Every failure to reach the store surfaces as {@link StoreUnavailableException}
 * (the SDK's URL-connection client lets some socket errors out as {@link UncheckedIOException}).
 */
@Component
@EnableConfigurationProperties(StorageProperties.class)
public class ObjectStore implements AutoCloseable {

    private final S3Client s3;
    private final String bucket;

    public ObjectStore(StorageProperties properties) {
        this.bucket = properties.bucket();
        this.s3 = S3Client.builder()
                .endpointOverride(properties.endpoint())
                .region(Region.of(properties.region()))
                .forcePathStyle(true)
                // S3-compatible stores (s3proxy, MinIO) do not all speak the SDK's default trailing checksums.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(properties.accessKey(), properties.secretKey())))
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(properties.timeout())
                        .socketTimeout(properties.timeout())
                        .build())
                .overrideConfiguration(config -> config.apiCallTimeout(properties.timeout()))
                .build();
    }

    /** Stores {@code bytes} under {@code key}. */
    public void put(String key, byte[] bytes, String contentType) {
        try {
            s3.putObject(request -> request.bucket(bucket).key(key).contentType(contentType)
                    .contentLength((long) bytes.length), RequestBody.fromBytes(bytes));
        } catch (SdkException | UncheckedIOException e) {
            throw new StoreUnavailableException("Cannot store " + key, e);
        }
    }

    /** Opens the object under {@code key}; the caller closes the stream. */
    public InputStream open(String key) {
        try {
            return s3.getObject(request -> request.bucket(bucket).key(key));
        } catch (NoSuchKeyException e) {
            throw new IllegalStateException("Object " + key + " is missing from " + bucket, e);
        } catch (SdkException | UncheckedIOException e) {
            throw new StoreUnavailableException("Cannot read " + key, e);
        }
    }

    /** Whether an object exists under {@code key}. */
    public boolean exists(String key) {
        try {
            s3.headObject(request -> request.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (SdkException e) {
            if (e instanceof software.amazon.awssdk.services.s3.model.S3Exception s3e && s3e.statusCode() == 404) {
                return false;
            }
            throw new StoreUnavailableException("Cannot reach the store for " + key, e);
        }
    }

    /** Removes {@code key}; used to undo a put whose metadata could not be committed. */
    public void delete(String key) {
        try {
            s3.deleteObject(request -> request.bucket(bucket).key(key));
        } catch (SdkException | UncheckedIOException e) {
            throw new StoreUnavailableException("Cannot delete " + key, e);
        }
    }

    @Override
    public void close() {
        s3.close();
    }
}
