package dev.tu.vision.analysis;

import dev.tu.contracts.ImageAnalyzed.AnalyzerResult;
import dev.tu.contracts.ImageAnalyzed.Box;
import dev.tu.contracts.ImageAnalyzed.Finding;
import java.util.ArrayList;
import java.util.List;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.function.BiConsumer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Decodes once, runs every analyzer in order, times each. Each analyzer run is an observation
 * {@code tu.analyzer} (a span under the Kafka record's, and a timer by analyzer and model).
 */
@Component
public class AnalysisPipeline {

    private static final String FACES = "faces";

    private final ImageDecoder decoder;
    private final List<Analyzer> analyzers;
    private final ObservationRegistry observations;

    AnalysisPipeline(ImageDecoder decoder, List<Analyzer> analyzers, ObjectProvider<ObservationRegistry> observations) {
        this.decoder = decoder;
        this.analyzers = List.copyOf(analyzers);
        this.observations = observations.getIfAvailable(() -> ObservationRegistry.NOOP);
    }

    /** What the analyzers found, and the upright picture they looked at (for the derivative). */
    public record Outcome(List<AnalyzerResult> results, DecodedImage image) {

        /** The findings of one analyzer, empty when it did not run. */
        public List<Finding> findings(String analyzer) {
            return results.stream().filter(result -> result.analyzer().equals(analyzer))
                    .flatMap(result -> result.findings().stream()).toList();
        }
    }

    /** @throws UnreadableImageException when the bytes cannot be decoded */
    public Outcome analyze(byte[] original) {
        return analyze(original, (image, faces) -> { });
    }

    /**
     * As {@link #analyze(byte[])}, and tells {@code facesKnown} the upright picture and its faces as soon
     * as the faces analyzer has run, before the slower models: the display derivative needs nothing more.
     *
     * @throws UnreadableImageException when the bytes cannot be decoded
     */
    public Outcome analyze(byte[] original, BiConsumer<DecodedImage, List<Box>> facesKnown) {
        DecodedImage image = decoder.decode(original);
        boolean facesRan = false;
        List<AnalyzerResult> results = new ArrayList<>(analyzers.size());
        for (Analyzer analyzer : analyzers) {
            long start = System.nanoTime();
            List<Finding> findings = Observation.createNotStarted("tu.analyzer", observations)
                    .contextualName("analyze " + analyzer.name())
                    .lowCardinalityKeyValue("analyzer", analyzer.name())
                    .lowCardinalityKeyValue("model", analyzer.model())
                    .observe(() -> analyzer.analyze(image));
            long millis = (System.nanoTime() - start) / 1_000_000;
            results.add(new AnalyzerResult(analyzer.name(), analyzer.model(), analyzer.modelSha256(), millis, findings));
            if (analyzer.name().equals(FACES)) {
                facesRan = true;
                facesKnown.accept(image, findings.stream().map(Finding::box).toList());
            }
        }
        if (!facesRan) {
            facesKnown.accept(image, List.of());
        }
        return new Outcome(results, image);
    }

    /** Names of the analyzers this adapter runs, in order. */
    public List<String> analyzerNames() {
        return analyzers.stream().map(Analyzer::name).toList();
    }
}
