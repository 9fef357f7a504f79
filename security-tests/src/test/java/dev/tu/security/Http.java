package dev.tu.security;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** Plain HTTP calls with an optional bearer token, for attacks that need nothing more. */
final class Http {

    private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Http() {
    }

    static HttpResponse<String> get(URI uri, String token) {
        return send(builder(uri, token).GET());
    }

    /** A GET with the raw {@code Authorization} header value (malformed schemes included). */
    static HttpResponse<String> getWithAuthorization(URI uri, String authorization) {
        return send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(15)).header("Authorization", authorization)
                .GET());
    }

    static HttpResponse<String> post(URI uri, String token, String contentType, String body) {
        return send(builder(uri, token).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** POSTs a multipart body to {@code uri} (which may carry a query). */
    static HttpResponse<String> post(URI uri, String token, Multipart multipart, Map<String, String> headers) {
        HttpRequest.Builder request = builder(uri, token).header("Content-Type", multipart.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(multipart.bytes()));
        headers.forEach(request::header);
        return send(request);
    }

    static HttpResponse<byte[]> getBytes(URI uri, String token) {
        try {
            return client.send(builder(uri, token).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new IllegalStateException("GET " + uri + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpRequest.Builder builder(URI uri, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(15));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(request.build().method() + " " + request.build().uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
