package dev.tu.ingestion.images;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * Position in the newest-first listing: the last row's upload time and id, opaque to clients.
 * Keyset pagination stays correct and fast while rows are added.
 */
record PageCursor(Instant uploadedAt, UUID id) {

    String encode() {
        long micros = uploadedAt.getEpochSecond() * 1_000_000 + uploadedAt.getNano() / 1000;
        String raw = micros + ":" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    static PageCursor decode(String cursor) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            String[] parts = raw.split(":", 2);
            long micros = Long.parseLong(parts[0]);
            Instant time = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1000L);
            return new PageCursor(time, UUID.fromString(parts[1]));
        } catch (RuntimeException e) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                    "The cursor is not one this service handed out.");
            problem.setProperty("code", "INVALID_CURSOR");
            throw new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, e);
        }
    }
}
