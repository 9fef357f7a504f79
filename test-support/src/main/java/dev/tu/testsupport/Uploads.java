package dev.tu.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

/** Multipart uploads to {@code POST /api/v1/images}, as the CLI and the web console send them. */
public final class Uploads {

    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Uploads() {
    }

    /**
     * Uploads {@code bytes} as the {@code file} part.
     *
     * @param baseUri        the service or gateway, e.g. {@code http://127.0.0.1:8080/}
     * @param assetId        optional asset id
     * @param idempotencyKey optional Idempotency-Key header
     */
    public static HttpResponse<String> upload(URI baseUri, String token, byte[] bytes, String contentType,
            String fileName, String assetId, String idempotencyKey) {
        return upload(baseUri, token, bytes, contentType, fileName, assetId, idempotencyKey, java.util.Map.of());
    }

    /** As the other, with extra request headers (a {@code traceparent}, say). */
    public static HttpResponse<String> upload(URI baseUri, String token, byte[] bytes, String contentType,
            String fileName, String assetId, String idempotencyKey, java.util.Map<String, String> headers) {
        String boundary = "tu-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        write(body, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: " + contentType + "\r\n\r\n");
        body.writeBytes(bytes);
        write(body, "\r\n");
        if (assetId != null) {
            write(body, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"assetId\"\r\n\r\n" + assetId
                    + "\r\n");
        }
        write(body, "--" + boundary + "--\r\n");
        HttpRequest.Builder request = HttpRequest.newBuilder(baseUri.resolve("api/v1/images"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        headers.forEach(request::header);
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("Upload to " + baseUri + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }
}
