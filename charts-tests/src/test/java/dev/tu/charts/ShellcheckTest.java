package dev.tu.charts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every shell script passes shellcheck (Debian package; scripts/test-tools.txt makes ./dev test install
 * it). Scripts are found, not listed: every *.sh and every file whose first line is a sh/bash shebang, outside
 * build output, dependencies and state folders, so a new script cannot be forgotten. Only the Maven Wrapper's
 * generated mvnw is left out (not ours to change).
 */
class ShellcheckTest {

    /** Folders that hold no scripts of ours: build output, downloaded dependencies, local state, VCS. */
    private static final Set<String> SKIPPED_DIRS = Set.of("target", "node_modules", ".git", ".state", ".mvn", ".gl");
    private static final Set<String> NOT_OURS = Set.of("mvnw");

    @Test
    void everyScriptPassesShellcheck() throws IOException, InterruptedException {
        Path root = Charts.root();
        List<String> scripts = scripts(root);
        assertThat(scripts).as("the scripts found include the entry points and the build helpers")
                .contains("dev", ".ci/run", "tu", "web-console/build.sh", "ai-vision-adapter/models/build.sh",
                        "kind/up.sh", "kind/down.sh", "kind/build-images.sh", "scripts/infra.sh", "scripts/lib/common.sh");
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

    /** Shell scripts under {@code root}, relative and sorted. */
    static List<String> scripts(Path root) throws IOException {
        List<String> scripts = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                return !dir.equals(root) && SKIPPED_DIRS.contains(name) ? FileVisitResult.SKIP_SUBTREE
                        : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                String relative = root.relativize(file).toString();
                if (attributes.isRegularFile() && !NOT_OURS.contains(relative)
                        && (relative.endsWith(".sh") || hasShellShebang(file))) {
                    scripts.add(relative);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        scripts.sort(null);
        return scripts;
    }

    private static boolean hasShellShebang(Path file) throws IOException {
        byte[] head = new byte[128];
        int read;
        try (InputStream in = Files.newInputStream(file)) {
            read = in.readNBytes(head, 0, head.length);
        }
        String first = new String(head, 0, read, StandardCharsets.ISO_8859_1).lines().findFirst().orElse("");
        return first.matches("#!\\s*(/usr)?/bin/(env\\s+)?(ba)?sh(\\s.*)?");
    }
}
