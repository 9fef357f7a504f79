package dev.tu.charts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every shell script passes shellcheck (Debian package; scripts/test-tools.txt makes ./dev test install
 * it): the dev command, CI's entry point, scripts/ and kind/.
 */
class ShellcheckTest {

    @Test
    void everyScriptPassesShellcheck() throws IOException, InterruptedException {
        Path root = Charts.root();
        List<String> scripts = new ArrayList<>(List.of("dev", ".ci/run"));
        for (String dir : List.of("scripts", "kind")) {
            try (Stream<Path> files = Files.walk(root.resolve(dir))) {
                files.filter(file -> file.toString().endsWith(".sh")).sorted()
                        .forEach(file -> scripts.add(root.relativize(file).toString()));
            }
        }
        assertThat(scripts).as("kind scripts are checked too").anyMatch(script -> script.startsWith("kind/"));
        List<String> command = new ArrayList<>(List.of("shellcheck", "--external-sources", "--format=gcc"));
        command.addAll(scripts);
        Process process;
        try {
            process = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("shellcheck is not installed: apt-get install -y shellcheck"
                    + " (./dev test installs what scripts/test-tools.txt lists)", e);
        }
        String findings = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("shellcheck finished").isTrue();
        assertThat(findings).as("shellcheck findings in %s", scripts).isEmpty();
        assertThat(process.exitValue()).isZero();
    }
}
