package dev.tu.vision.analysis;

import com.drew.metadata.Metadata;
import java.awt.image.BufferedImage;

/**
 * An image decoded once, turned upright per its EXIF orientation, with its metadata.
 *
 * @param pixels   the upright picture
 * @param metadata what metadata-extractor read (possibly empty)
 * @param bytes    size of the original file
 */
public record DecodedImage(BufferedImage pixels, Metadata metadata, long bytes) {

    public int width() {
        return pixels.getWidth();
    }

    public int height() {
        return pixels.getHeight();
    }
}
