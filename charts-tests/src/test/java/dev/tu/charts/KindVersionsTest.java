package dev.tu.charts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * kind/up.sh installs every upstream chart at a version pinned in kind/versions.env, and every values file
 * it passes exists. (The cluster itself cannot run on the project's machines; this keeps the script and
 * its inputs consistent.)
 */
class KindVersionsTest {

    @Test
    void everyChartVersionIsPinnedAndEveryValuesFileExists() throws IOException {
        Path kind = Charts.root().resolve("kind");
        String script = Files.readString(kind.resolve("up.sh"));
        String versions = Files.readString(kind.resolve("versions.env"));

        Set<String> pinned = new LinkedHashSet<>();
        Matcher assignment = Pattern.compile("(?m)^([A-Z0-9_]+)=(\\S+)").matcher(versions);
        while (assignment.find()) {
            assertThat(assignment.group(2)).as("%s is a fixed version", assignment.group(1))
                    .matches("v?[0-9]+\\.[0-9]+\\.[0-9]+|[^:]+:[0-9][0-9.]*");
            pinned.add(assignment.group(1));
        }

        Matcher install = Pattern.compile("helm upgrade --install (\\S+) (\\S+)[^\\n]*?(?:\\\\\\n[^\\n]*?)*?--version \"\\$([A-Z0-9_]+)\"")
                .matcher(script);
        Set<String> releases = new LinkedHashSet<>();
        while (install.find()) {
            releases.add(install.group(1));
            assertThat(pinned).as("release %s: $%s is set in kind/versions.env", install.group(1), install.group(3))
                    .contains(install.group(3));
        }
        assertThat(releases).as("the observability releases are installed from pinned charts")
                .contains("kube-prometheus-stack", "loki", "jaeger", "otel-collector", "otel-logs");

        Matcher values = Pattern.compile("\\$KIND_DIR/(infra/[A-Za-z0-9_.-]+\\.yaml)").matcher(script);
        while (values.find()) {
            assertThat(kind.resolve(values.group(1))).as("kind/%s", values.group(1)).isRegularFile();
        }
    }
}
