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

    @AfterAll
    static void close() {
        catalog.close();
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
