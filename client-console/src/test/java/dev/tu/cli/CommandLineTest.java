package dev.tu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tu.cli.auth.StoredTokens;
import dev.tu.cli.auth.TokenStore;
import dev.tu.cli.output.Table;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The CLI without a server: help everywhere, exit codes for usage and missing login, the token cache's permissions. */
class CommandLineTest {

    @TempDir
    Path config;

    private record Run(int exit, String out, String err) {
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine tu = Tu.commandLine(Map.of("TU_CONFIG_DIR", config.toString(),
                // Nothing listens here: a command that reached the network would fail with 5, not 3.
                "TU_GATEWAY", "http://127.0.0.1:9", "TU_ISSUER", "http://127.0.0.1:9/realms/tu"), Clock.systemUTC());
        tu.setOut(new PrintWriter(out, true));
        tu.setErr(new PrintWriter(err, true));
        return new Run(tu.execute(args), out.toString(), err.toString());
    }

    @Test
    void everyCommandHasHelpThatNamesTheExitCodes() {
        for (String command : List.of("login", "logout", "whoami", "upload", "watch", "images", "show", "reanalyze", "query",
                "dead-letters", "dead-letters show", "dead-letters replay")) {
            String[] words = (command + " --help").split(" ");
            Run help = run(words);
            assertThat(help.exit()).as(command).isZero();
            assertThat(help.out()).as(command).contains("Usage: tu " + command).contains("Exit codes: 0 ok");
        }
        Run top = run("--help");
        assertThat(top.exit()).isZero();
        assertThat(top.out()).contains("login", "upload", "watch", "images", "show", "reanalyze", "query", "dead-letters", "--profile",
                "--output");
    }

    @Test
    void wrongUsageExitsTwo() {
        assertThat(run("upload").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run("frobnicate").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run("images", "--output", "yaml").exit()).isEqualTo(ExitCodes.USAGE);
        Run profile = run("images", "--profile", "moon");
        assertThat(profile.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(profile.err()).contains("Unknown profile 'moon'");
        assertThat(run("watch", "--until-done").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run("dead-letters", "replay").exit()).as("an id or --all").isEqualTo(ExitCodes.USAGE);
        assertThat(run("dead-letters", "replay", "--all", "0b5f1b0e-5d2a-4c33-9a3e-1c1f2b9d0a11").exit())
                .as("not both").isEqualTo(ExitCodes.USAGE);
        Run notAnId = run("dead-letters", "show", "42");
        assertThat(notAnId.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(notAnId.err()).contains("Not a dead letter id: 42");
    }

    @Test
    void withoutALoginCommandsSaySoAndExitThree() {
        Run images = run("images");
        assertThat(images.exit()).isEqualTo(ExitCodes.AUTH);
        assertThat(images.err()).contains("Not logged in").contains("tu login");
    }

    @Test
    void anUnreachableServerExitsFive() {
        Run login = run("login");
        assertThat(login.exit()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(login.err()).contains("cannot be reached");
    }

    @Test
    void theTokenCacheIsReadableByItsOwnerOnly() throws Exception {
        TokenStore store = new TokenStore(config.resolve("tu"));
        StoredTokens tokens = new StoredTokens("device", "tu-cli", "a.b.c", Instant.parse("2030-01-01T00:00:00Z"),
                "r", null, "alice");
        store.save("local", tokens);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file("local")))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config.resolve("tu")))).isEqualTo("rwx------");
        assertThat(store.load("local")).contains(tokens);
        assertThat(store.delete("local")).isTrue();
        assertThat(store.load("local")).isEmpty();
    }

    @Test
    void tablesAlignTheirColumns() {
        StringWriter out = new StringWriter();
        new Table("ID", "STATUS").row("1", "COMPLETED").row("22", null).print(new PrintWriter(out));
        assertThat(out.toString()).isEqualTo("""
                ID  STATUS
                --  ---------
                1   COMPLETED
                22  -
                """);
    }

    @Test
    void aCaCertificateThatIsNotThereIsAUsageError() {
        Run missing = run("images", "--ca-cert", config.resolve("nope.crt").toString());
        assertThat(missing.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).contains("nope.crt does not exist");
        assertThat(run("images", "--help").out()).contains("--ca-cert=PEM");
    }

    @Test
    void theKindProfileFindsTheCaThatKindUpMadeInTheCheckout() throws Exception {
        Path checkout = Files.createDirectories(config.resolve("checkout"));
        Path jarDir = Files.createDirectories(checkout.resolve("client-console/target"));
        assertThat(Tu.kindCa(List.of(jarDir))).as("no kind/.state yet").isEmpty();
        Path ca = Files.createDirectories(checkout.resolve("kind/.state/tls")).resolve("ca.crt");
        Files.writeString(ca, "pem");
        assertThat(Tu.kindCa(List.of(config.resolve("elsewhere"), jarDir))).contains(ca);
        assertThat(Tu.kindCa(List.of(checkout))).contains(ca);
    }
}
