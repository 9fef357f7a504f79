package dev.tu.graph.images;

import dev.tu.graph.downstream.ImageView;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * The position just after one image in ingestion-service's newest-first listing: the keyset cursor
 * ingestion hands out as a page's {@code nextCursor} (upload time in microseconds and id, base64url),
 * built here for every edge because ingestion names only the last item's. Ingestion's
 * {@code PageCursor} is the other half of this format; system-tests ReadPathIT pages with a mid-page
 * cursor through the real ingestion, so a change on either side fails there.
 */
final class ImageCursor {

    private ImageCursor() {
    }

    static String after(ImageView image) {
        Instant uploadedAt = Instant.parse(image.uploadedAt());
        long micros = uploadedAt.getEpochSecond() * 1_000_000 + uploadedAt.getNano() / 1000;
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((micros + ":" + image.id()).getBytes(StandardCharsets.UTF_8));
    }
}
