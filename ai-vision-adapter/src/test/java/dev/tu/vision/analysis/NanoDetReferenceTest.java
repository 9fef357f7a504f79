package dev.tu.vision.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tu.vision.models.ModelCatalog;
import dev.tu.vision.models.ModelsProperties;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The converted NanoDet, run from Java with our preprocessing and decoding, against the reference run
 * of the original TFJS model (models/reference/nanodet-reference.json): same input recipe, outputs
 * within 1e-4, same top candidates and boxes.
 */
class NanoDetReferenceTest {

    private static final JsonNode reference = JsonMapper.builder().build()
            .readTree(Path.of("models/reference/nanodet-reference.json").toFile());
    private static final ModelCatalog catalog = new ModelCatalog(new ModelsProperties(
            Path.of(System.getProperty("tu.models.dir", "target/models")), 2, ModelsProperties.Provider.CPU));
    private static final NanoDet nanoDet = new NanoDet(catalog, 0.35, 0.5);

    @AfterAll
    static void close() {
        catalog.close();
    }

    @Test
    void theSyntheticInputIsTheReferenceInput() {
        float[] tensor = NanoDet.normalise(syntheticImage());
        double sum = 0;
        for (float value : tensor) {
            sum += value;
        }
        JsonNode checks = reference.get("inputChecks");
        assertThat(sum).isCloseTo(checks.get("sum").asDouble(), within(Math.abs(checks.get("sum").asDouble()) * 1e-4));
        checks.get("at").properties().forEach(entry ->
                assertThat((double) tensor[Integer.parseInt(entry.getKey())]).isCloseTo(entry.getValue().asDouble(),
                        within(1e-5)));
    }

    @Test
    void outputsMatchTheTfjsRun() {
        Map<String, float[]> outputs = nanoDet.run(NanoDet.normalise(syntheticImage()));
        double tolerance = reference.get("tolerance").get("absolute").asDouble();
        reference.get("outputs").properties().forEach(entry -> {
            float[] actual = outputs.get(entry.getKey());
            JsonNode expected = entry.getValue();
            assertThat(actual).as(entry.getKey()).isNotNull();
            for (int i = 0; i < expected.get("head").size(); i++) {
                assertThat((double) actual[i]).as("%s[%d]", entry.getKey(), i)
                        .isCloseTo(expected.get("head").get(i).asDouble(), within(tolerance));
            }
            // Each sample is [flat index, value].
            for (JsonNode sample : expected.get("samples")) {
                int index = sample.get(0).asInt();
                assertThat((double) actual[index]).as("%s[%d]", entry.getKey(), index)
                        .isCloseTo(sample.get(1).asDouble(), within(tolerance));
            }
            double sum = 0;
            for (float value : actual) {
                sum += value;
            }
            assertThat(sum).as("%s sum", entry.getKey()).isCloseTo(expected.get("sum").asDouble(),
                    within(Math.max(1e-3, Math.abs(expected.get("sum").asDouble()) * 1e-4)));
        });
    }

    @Test
    void decodingFindsTheReferenceCandidatesAndBoxes() {
        List<NanoDet.Detection> decoded = NanoDet.decode(nanoDet.run(NanoDet.normalise(syntheticImage())), 0.0);
        List<NanoDet.Detection> top = decoded.stream()
                .sorted(Comparator.comparingDouble(NanoDet.Detection::score).reversed()).limit(5).toList();
        JsonNode candidates = reference.get("topCandidates").get("candidates");
        for (int i = 0; i < candidates.size(); i++) {
            JsonNode expected = candidates.get(i);
            NanoDet.Detection actual = top.get(i);
            assertThat(actual.classIndex()).isEqualTo(expected.get("classIndex").asInt());
            assertThat(actual.score()).isCloseTo(expected.get("score").asDouble(), within(1e-4));
            JsonNode box = expected.get("box");
            assertThat(actual.x1()).isCloseTo(box.get(0).asDouble(), within(0.01));
            assertThat(actual.y1()).isCloseTo(box.get(1).asDouble(), within(0.01));
            assertThat(actual.x2()).isCloseTo(box.get(2).asDouble(), within(0.01));
            assertThat(actual.y2()).isCloseTo(box.get(3).asDouble(), within(0.01));
        }
        assertThat(catalog.model("nanodet").labels().get(candidates.get(0).get("classIndex").asInt()))
                .isEqualTo("dining table");
    }

    /** The fixture's recipe: R = (5x + 3y) % 256; G = (x·y / 64) % 256; B = 228 or 28 in 8-pixel checks. */
    private static BufferedImage syntheticImage() {
        BufferedImage image = new BufferedImage(NanoDet.SIZE, NanoDet.SIZE, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < NanoDet.SIZE; y++) {
            for (int x = 0; x < NanoDet.SIZE; x++) {
                int r = (5 * x + 3 * y) % 256;
                int g = (x * y / 64) % 256;
                int b = ((x / 8 + y / 8) % 2 == 1) ? 228 : 28;
                image.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return image;
    }
}
