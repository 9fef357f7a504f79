package dev.tu.graph.images;

import dev.tu.contracts.ImageAnalyzed;
import dev.tu.contracts.ImageAnalyzed.AnalyzerResult;
import dev.tu.contracts.ImageAnalyzed.Finding;
import java.util.List;

/** The GraphQL view of an {@code tu.image.analyzed} payload, grouped by analyzer. */
record AnalysisResult(int attempt, String analyzedAt, String derivativeKey, List<AnalyzerResult> analyzers) {

    static AnalysisResult of(ImageAnalyzed analyzed) {
        return new AnalysisResult(analyzed.attempt(), String.valueOf(analyzed.analyzedAt()), analyzed.derivativeKey(),
                analyzed.results() == null ? List.of() : analyzed.results());
    }

    public List<Finding> objects() {
        return findings("objects");
    }

    public List<Finding> text() {
        return findings("text");
    }

    public List<Finding> faces() {
        return findings("faces");
    }

    public List<Finding> quality() {
        return findings("quality");
    }

    public List<Finding> exif() {
        return findings("exif");
    }

    private List<Finding> findings(String analyzer) {
        return analyzers.stream().filter(result -> analyzer.equals(result.analyzer()))
                .flatMap(result -> result.findings() == null ? java.util.stream.Stream.empty()
                        : result.findings().stream())
                .toList();
    }
}
