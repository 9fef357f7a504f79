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

    List<Finding> objects() {
        return findings("objects");
    }

    List<Finding> text() {
        return findings("text");
    }

    List<Finding> faces() {
        return findings("faces");
    }

    List<Finding> quality() {
        return findings("quality");
    }

    List<Finding> exif() {
        return findings("exif");
    }

    private List<Finding> findings(String analyzer) {
        return analyzers.stream().filter(result -> analyzer.equals(result.analyzer()))
                .flatMap(result -> result.findings() == null ? java.util.stream.Stream.empty()
                        : result.findings().stream())
                .toList();
    }
}
