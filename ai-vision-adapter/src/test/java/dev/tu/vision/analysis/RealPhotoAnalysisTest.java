package dev.tu.vision.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tu.contracts.ImageAnalyzed.Finding;
import dev.tu.testsupport.Photos;
import dev.tu.vision.models.ModelCatalog;
import dev.tu.vision.models.ModelsProperties;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The analyzers on real photographs (test-support/photos, see SOURCES.md), with the real models. */
class RealPhotoAnalysisTest {

    private static final ModelCatalog catalog = new ModelCatalog(new ModelsProperties(
            Path.of(System.getProperty("tu.models.dir", "target/models")), 2, ModelsProperties.Provider.CPU));
    private static final ImageDecoder decoder = new ImageDecoder();
    private static final ObjectsAnalyzer objects = new ObjectsAnalyzer(catalog);
    private static final TextAnalyzer text = new TextAnalyzer(catalog);
    private static final QualityAnalyzer quality = new QualityAnalyzer();
    private static final FacesAnalyzer faces = new FacesAnalyzer(catalog);

    @Test
    void theAstronautsFaceIsFound() {
        List<Finding> found = faces.analyze(decoder.decode(Photos.load("astronaut-face.png")));
        assertThat(found).hasSize(1);
        Finding face = found.getFirst();
        // Eileen Collins' face is in the upper middle of the 512×512 portrait.
        assertThat(face.box().x()).isBetween(140, 260);
        assertThat(face.box().y()).isBetween(20, 120);
        assertThat(face.box().width()).isBetween(60, 200);
        assertThat(faces.analyze(decoder.decode(Photos.load("road-sign-text.jpg")))).as("no face on a road sign")
                .isEmpty();
    }

    @AfterAll
    static void close() {
        catalog.close();
    }

    @Test
    void theDerivativeHidesTheFaceAndCarriesNoMetadata() throws Exception {
        DecodedImage portrait = decoder.decode(Photos.load("astronaut-face.png"));
        var face = faces.analyze(portrait).getFirst().box();
        DecodedImage derivative = decoder.decode(new Derivatives().render(portrait, List.of(face)));

        assertThat(derivative.width()).isEqualTo(512);
        // Inside the face the picture is now flat blocks: far less detail than the original had there.
        assertThat(detail(derivative, face)).isLessThan(detail(portrait, face) / 2.5);

        byte[] fromGpsPhoto = new Derivatives().render(decoder.decode(Photos.load("street-leuven-exif-gps.jpg")),
                List.of());
        var metadata = com.drew.imaging.ImageMetadataReader.readMetadata(new java.io.ByteArrayInputStream(fromGpsPhoto));
        assertThat(metadata.getFirstDirectoryOfType(com.drew.metadata.exif.GpsDirectory.class)).as("no GPS").isNull();
        assertThat(metadata.getFirstDirectoryOfType(com.drew.metadata.exif.ExifIFD0Directory.class)).as("no EXIF")
                .isNull();
    }

    /** Mean absolute difference between horizontal neighbours inside the box. */
    private static double detail(DecodedImage image, dev.tu.contracts.ImageAnalyzed.Box box) {
        double sum = 0;
        int n = 0;
        for (int y = box.y(); y < box.y() + box.height(); y++) {
            for (int x = box.x() + 1; x < box.x() + box.width(); x++) {
                sum += Math.abs((image.pixels().getRGB(x, y) & 0xFF) - (image.pixels().getRGB(x - 1, y) & 0xFF));
                n++;
            }
        }
        return sum / n;
    }

    @Test
    void aStreetPhotoShowsACarAndAPersonWithPlausibleBoxes() {
        DecodedImage image = decoder.decode(Photos.load("street-sign-car-people.jpg"));
        List<Finding> found = objects.analyze(image);

        Finding car = found.stream().filter(f -> f.label().equals("car")).findFirst().orElseThrow();
        assertThat(car.confidence()).isGreaterThan(0.5);
        // The estate car stands in the lower middle of the 800×600 photo.
        assertThat(car.box().x()).isBetween(300, 500);
        assertThat(car.box().y()).isBetween(350, 500);
        assertThat(car.box().width()).isBetween(200, 400);
        assertThat(found).extracting(Finding::label).contains("person");
    }

    @Test
    void signsAreRead() {
        assertThat(labels(text.analyze(decoder.decode(Photos.load("road-sign-text.jpg")))))
                .contains("Sports Centre", "Conference Centre", "Car Parks");
        assertThat(labels(text.analyze(decoder.decode(Photos.load("street-sign-car-people.jpg")))))
                .contains("NOTICE", "DOUBLE", "PARKING", "PROHIBITED");
    }

    @Test
    void upsideDownTextIsTurnedBeforeItIsRead() {
        DecodedImage upright = decoder.decode(Photos.load("road-sign-text.jpg"));
        java.awt.image.BufferedImage pixels = upright.pixels();
        var turned = new java.awt.image.BufferedImage(pixels.getWidth(), pixels.getHeight(),
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        var rotation = java.awt.geom.AffineTransform.getRotateInstance(Math.PI, pixels.getWidth() / 2.0,
                pixels.getHeight() / 2.0);
        var g = turned.createGraphics();
        g.drawImage(pixels, rotation, null);
        g.dispose();
        assertThat(labels(text.analyze(new DecodedImage(turned, upright.metadata(), upright.bytes()))))
                .as("the same sign photographed upside down").contains("Conference Centre", "Car Parks");
    }

    @Test
    void theGeneratorsModelPlateIsRead() {
        List<Finding> found = text.analyze(decoder.decode(Photos.load("generator-sign.jpg")));
        Finding plate = found.stream().filter(f -> f.label().equals("GM125")).findFirst().orElseThrow();
        assertThat(plate.confidence()).isGreaterThan(0.9);
        assertThat(plate.box().x()).isBetween(380, 460);
    }

    @Test
    void aMotionBlurredPhotoIsUnusableAndASharpOneUsable() {
        assertThat(quality.analyze(decoder.decode(Photos.load("licenseplate-motion-blur.jpg"))).getFirst().label())
                .startsWith("unusable:").contains("blurred");
        assertThat(quality.analyze(decoder.decode(Photos.load("street-sign-car-people.jpg"))).getFirst().label())
                .isEqualTo("usable");
        assertThat(quality.analyze(decoder.decode(Photos.load("car-plate-gps-iphone.jpg"))).getFirst().label())
                .as("180×142 is too small to read a plate").contains("too-small");
    }

    private static List<String> labels(List<Finding> findings) {
        return findings.stream().map(Finding::label).toList();
    }
}
