package dev.tu.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvFileTest {

    @TempDir
    Path dir;

    @Test
    void resolvesReferencesDefaultsAndEarlierKeys() throws Exception {
        Path file = write("""
                # comment
                HOST=${TU_HOST}

                URL=http://${HOST}:${PORT:-8080}/x
                QUOTED="a b"
                """);

        assertThat(EnvFile.read(file, Map.of("TU_HOST", "127.0.0.1")))
                .containsExactly(
                        Map.entry("HOST", "127.0.0.1"),
                        Map.entry("URL", "http://127.0.0.1:8080/x"),
                        Map.entry("QUOTED", "a b"));
    }

    @Test
    void anUnknownReferenceIsAnError() throws Exception {
        Path file = write("URL=${NOPE}\n");
        assertThatThrownBy(() -> EnvFile.read(file, Map.of()))
                .hasMessageContaining("${NOPE} is not defined").hasMessageContaining(":1");
    }

    @Test
    void everyServiceEnvFileResolvesAgainstTheLoopbackDefaults() {
        SuiteLayout layout = SuiteLayout.locate();
        for (Service service : Service.values()) {
            Map<String, String> env = EnvFile.read(layout.envFile(service), layout.infrastructure());
            assertThat(env).as(service.id()).containsKeys("SERVER_PORT", "MANAGEMENT_SERVER_PORT");
        }
    }

    private Path write(String content) throws Exception {
        Path file = dir.resolve("x.env");
        Files.writeString(file, content);
        return file;
    }
}
