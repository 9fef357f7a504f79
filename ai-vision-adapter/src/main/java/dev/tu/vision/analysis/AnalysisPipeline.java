package dev.tu.vision.analysis;

import dev.tu.contracts.ImageAnalyzed.AnalyzerResult;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/** Decodes once, runs every analyzer in order, times each. */
@Component
public class AnalysisPipeline {

    private final ImageDecoder decoder;
    private final List<Analyzer> analyzers;

    AnalysisPipeline(ImageDecoder decoder, List<Analyzer> analyzers) {
        this.decoder = decoder;
        this.analyzers = List.copyOf(analyzers);
    }

    /** What the analyzers found, and the upright picture they looked at (for the derivative). */
    public record Outcome(List<AnalyzerResult> results, DecodedImage image) {

        /** The findings of one analyzer, empty when it did not run. */
        public List<dev.tu.contracts.ImageAnalyzed.Finding> findings(String analyzer) {
            return results.stream().filter(result -> result.analyzer().equals(analyzer))
                    .flatMap(result -> result.findings().stream()).toList();
        }
    }

    /** @throws UnreadableImageException when the bytes cannot be decoded */
    public Outcome analyze(byte[] original) {
        DecodedImage image = decoder.decode(original);
        List<AnalyzerResult> results = new ArrayList<>(analyzers.size());
        for (Analyzer analyzer : analyzers) {
            long start = System.nanoTime();
            var findings = analyzer.analyze(image);
            long millis = (System.nanoTime() - start) / 1_000_000;
            results.add(new AnalyzerResult(analyzer.name(), analyzer.model(), analyzer.modelSha256(), millis, findings));
        }
        return new Outcome(results, image);
    }

    /** Names of the analyzers this adapter runs, in order. */
    public List<String> analyzerNames() {
        return analyzers.stream().map(Analyzer::name).toList();
    }
}
