package dev.tu.vision.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tu.testsupport.HostileImages;
import dev.tu.testsupport.Photos;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class ImageDecoderTest {

    private final ImageDecoder decoder = new ImageDecoder();

    @Test
    void aPhotoTakenSidewaysIsTurnedUpright() {
        // Stored 450×600 with EXIF orientation 6 (rotate 90° clockwise to view): upright it is 600×450.
        DecodedImage image = decoder.decode(Photos.load("orientation6-waterfall.jpg"));
        assertThat(image.width()).isEqualTo(600);
        assertThat(image.height()).isEqualTo(450);
    }

    @Test
    void everyOrientationMapsTheCornersAsExifSays() {
        BufferedImage stored = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        stored.setRGB(0, 0, 0xFF0000); // top-left of the stored pixels is red
        assertThat(ImageDecoder.upright(stored, 6).getRGB(1, 0) & 0xFFFFFF).as("6: top-right").isEqualTo(0xFF0000);
        assertThat(ImageDecoder.upright(stored, 8).getRGB(0, 2) & 0xFFFFFF).as("8: bottom-left").isEqualTo(0xFF0000);
        assertThat(ImageDecoder.upright(stored, 3).getRGB(2, 1) & 0xFFFFFF).as("3: bottom-right").isEqualTo(0xFF0000);
        assertThat(ImageDecoder.upright(stored, 2).getRGB(2, 0) & 0xFFFFFF).as("2: top-right").isEqualTo(0xFF0000);
        assertThat(ImageDecoder.upright(stored, 5).getRGB(0, 0) & 0xFFFFFF).as("5: top-left").isEqualTo(0xFF0000);
        assertThat(ImageDecoder.upright(stored, 7).getRGB(1, 2) & 0xFFFFFF).as("7: bottom-right").isEqualTo(0xFF0000);
    }

    @Test
    void noiseThatStartsLikeAJpegIsUnreadable() {
        assertThatThrownBy(() -> decoder.decode(HostileImages.jpegLookalike(4096)))
                .isInstanceOf(UnreadableImageException.class);
    }
}
