package dev.tu.charts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden snapshots of renders under charts/golden: rendered manifests belong with the chart (in the pod
 * the services bind all interfaces; nothing outside charts/ does). A difference fails with both files
 * named; `-Dgolden.update=true` rewrites the snapshots (review the diff with git before committing).
 */
final class Golden {

    private Golden() {
    }

    static void assertMatches(String name, String rendered) {
        Path golden = Charts.root().resolve("charts/golden").resolve(name + ".yaml");
        try {
            if (Boolean.getBoolean("golden.update") || !Files.exists(golden)) {
                Files.createDirectories(golden.getParent());
                Files.writeString(golden, rendered);
                if (!Boolean.getBoolean("golden.update")) {
                    throw new AssertionError("No golden snapshot " + golden + " yet: written now. Review it and commit it;"
                            + " the next run compares.");
                }
                return;
            }
            Path actual = Charts.root().resolve("charts-tests/target/golden-actual").resolve(name + ".yaml");
            Files.createDirectories(actual.getParent());
            Files.writeString(actual, rendered);
            assertThat(rendered)
                    .as("render of %s differs from %s (actual written to %s); if the change is intended, run"
                            + " ./mvnw -pl charts-tests verify -Dgolden.update=true and review the diff", name, golden, actual)
                    .isEqualTo(Files.readString(golden));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
