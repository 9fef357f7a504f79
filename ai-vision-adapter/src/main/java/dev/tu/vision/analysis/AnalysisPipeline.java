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

    /** @throws UnreadableImageException when the bytes cannot be decoded */
    public List<AnalyzerResult> analyze(byte[] original) {
        DecodedImage image = decoder.decode(original);
        List<AnalyzerResult> results = new ArrayList<>(analyzers.size());
        for (Analyzer analyzer : analyzers) {
            long start = System.nanoTime();
            var findings = analyzer.analyze(image);
            long millis = (System.nanoTime() - start) / 1_000_000;
            results.add(new AnalyzerResult(analyzer.name(), analyzer.model(), analyzer.modelSha256(), millis, findings));
        }
        return results;
    }

    /** Names of the analyzers this adapter runs, in order. */
    public List<String> analyzerNames() {
        return analyzers.stream().map(Analyzer::name).toList();
    }
}
