package dev.tu.ingestion.inspection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tu.testsupport.HostileImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpStatus;
import org.springframework.util.unit.DataSize;

class ImageInspectorTest {

    private final ImageInspector inspector =
            new ImageInspector(new InspectionProperties(DataSize.ofMegabytes(1), 12000, 50_000_000, 200));

    @Test
    void acceptsAWholeJpegAndPngAndReadsTheirSize() {
        Inspection jpeg = inspector.inspect(HostileImages.jpeg(320, 200), "image/jpeg", "plate.jpg");
        Inspection png = inspector.inspect(HostileImages.png(64, 48), null, null);

        assertThat(jpeg.format()).isEqualTo(ImageFormat.JPEG);
        assertThat(jpeg.width()).isEqualTo(320);
        assertThat(jpeg.height()).isEqualTo(200);
        assertThat(jpeg.sha256()).hasSize(64);
        assertThat(jpeg.originalName()).isEqualTo("plate.jpg");
        assertThat(png.format()).isEqualTo(ImageFormat.PNG);
        assertThat(png.originalName()).isEqualTo("image");
        assertThat(png.capturedAt()).isNull();
    }

    @Test
    void trustsTheBytesNotAGenericDeclaredType() {
        assertThat(inspector.inspect(HostileImages.png(8, 8), "application/octet-stream", "x.bin").format())
                .isEqualTo(ImageFormat.PNG);
        assertThat(inspector.inspect(HostileImages.jpeg(8, 8), "image/jpg", "x.jpg").format())
                .isEqualTo(ImageFormat.JPEG);
    }

    @Test
    void refusesAnEmptyFile() {
        assertRejected(new byte[0], "image/jpeg", "a.jpg", HttpStatus.BAD_REQUEST, "EMPTY_FILE");
    }

    @Test
    void refusesAFileOverTheSizeLimit() {
        assertRejected(HostileImages.jpegLookalike(1024 * 1024 + 1), "image/jpeg", "a.jpg",
                HttpStatus.CONTENT_TOO_LARGE, "FILE_TOO_LARGE");
    }

    @Test
    void refusesWhatIsNoImageWhateverItIsCalled() {
        assertRejected(HostileImages.script(), "image/jpeg", "cat.jpg", HttpStatus.UNSUPPORTED_MEDIA_TYPE, "NOT_AN_IMAGE");
        assertRejected(HostileImages.svgWithScript(), "image/svg+xml", "x.svg", HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                "NOT_AN_IMAGE");
    }

    @Test
    void refusesASpoofedContentType() {
        assertRejected(HostileImages.png(8, 8), "image/jpeg", "x.jpg", HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                "CONTENT_TYPE_MISMATCH");
    }

    @Test
    void refusesADecompressionBombBeforeDecoding() {
        byte[] bomb = HostileImages.pngBomb(60_000, 60_000);
        assertThat(bomb.length).isLessThan(2048);
        assertRejected(bomb, "image/png", "bomb.png", HttpStatus.UNPROCESSABLE_CONTENT, "DIMENSIONS_TOO_LARGE");
        assertRejected(HostileImages.jpegWithForgedSize(HostileImages.jpeg(64, 64), 65_000, 65_000), "image/jpeg",
                "bomb.jpg", HttpStatus.UNPROCESSABLE_CONTENT, "DIMENSIONS_TOO_LARGE");
        assertRejected(HostileImages.pngBomb(9000, 9000), "image/png", "wide.png", HttpStatus.UNPROCESSABLE_CONTENT,
                "DIMENSIONS_TOO_LARGE");
    }

    @Test
    void refusesATruncatedImage() {
        assertRejected(HostileImages.truncated(HostileImages.jpeg(400, 300), 0.6), "image/jpeg", "cut.jpg",
                HttpStatus.UNPROCESSABLE_CONTENT, "TRUNCATED_IMAGE");
        assertRejected(HostileImages.truncated(HostileImages.png(400, 300), 0.9), "image/png", "cut.png",
                HttpStatus.UNPROCESSABLE_CONTENT, "TRUNCATED_IMAGE");
    }

    @Test
    void refusesBytesThatOnlyStartLikeAnImage() {
        assertRejected(HostileImages.jpegLookalike(4096), "image/jpeg", "fake.jpg", HttpStatus.UNPROCESSABLE_CONTENT,
                "CORRUPT_IMAGE");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../etc/passwd.jpg", "a/b.jpg", "a\\b.jpg", "evil\u0000.jpg", "line\nbreak.jpg",
            "<script>.jpg", ".hidden.jpg", "-rf.jpg", "a..b.jpg", "what?.jpg"})
    void refusesAHostileFileName(String name) {
        assertRejected(HostileImages.jpeg(8, 8), "image/jpeg", name, HttpStatus.BAD_REQUEST, "UNSAFE_FILE_NAME");
    }

    @Test
    void refusesAnOverlongFileName() {
        assertRejected(HostileImages.jpeg(8, 8), "image/jpeg", "a".repeat(201) + ".jpg", HttpStatus.BAD_REQUEST,
                "UNSAFE_FILE_NAME");
    }

    @Test
    void keepsAnOrdinaryNameWithSpacesAndAccents() {
        assertThat(inspector.inspect(HostileImages.jpeg(8, 8), "image/jpeg", "Gravemaskine (1) – Århus.jpg")
                .originalName()).isEqualTo("Gravemaskine (1) – Århus.jpg");
    }

    private void assertRejected(byte[] bytes, String type, String name, HttpStatus status, String code) {
        assertThatThrownBy(() -> inspector.inspect(bytes, type, name))
                .isInstanceOfSatisfying(ImageRejectedException.class, rejected -> {
                    assertThat(rejected.getStatusCode()).isEqualTo(status);
                    assertThat(rejected.code()).isEqualTo(code);
                });
    }
}
