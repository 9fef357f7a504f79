package dev.tu.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import dev.tu.testsupport.Keycloak;
import dev.tu.testsupport.Service;
import dev.tu.testsupport.Suite;
import dev.tu.testsupport.SuiteLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * API8: no secret in the repository, the images' contents, the chart's defaults or the services' logs.
 * gitleaks is not packaged for Debian, so this is a small regex scanner: private keys, cloud and forge
 * tokens, JWTs, and password or secret assignments whose value is not one of the documented dev-only
 * values below (the local realm's users and clients, the local database and object store).
 */
class SecretsScanIT {

    /** The documented dev-only credentials (README, infra/keycloak/tu-realm.json, .state/infra.env). */
    static final Set<String> DEV_ONLY = Set.of("dev-only-alice", "dev-only-bob", "dev-only-carol", "dev-only-admin",
            "dev-only-kc-admin", "dev-only-tu-system-secret", "dev-only-ingestion", "dev-only-orchestrator",
            "dev-only-secret-key",
            // RabbitMQ's built-in account: the broker accepts it from loopback only (the services' local default).
            "guest");

    private static final List<Rule> ALWAYS = List.of(
            new Rule("private key", Pattern.compile("-----BEGIN (?:[A-Z]+ )*PRIVATE KEY( BLOCK)?-----")),
            new Rule("AWS access key id", Pattern.compile("\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b")),
            new Rule("GitHub token", Pattern.compile("\\bgh[pousr]_[A-Za-z0-9]{36,}\\b")),
            new Rule("Slack token", Pattern.compile("\\bxox[abposr]-[A-Za-z0-9-]{10,}")),
            new Rule("Google API key", Pattern.compile("\\bAIza[0-9A-Za-z_-]{35}\\b")),
            new Rule("JWT", Pattern.compile("\\beyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}")),
            new Rule("bearer token", Pattern.compile("(?i)authorization[\"']?\\s*[:=]\\s*[\"']?bearer\\s+[A-Za-z0-9._~+/-]{20,}")));

    /** {@code password: x}, {@code SECRET_KEY=x}, {@code "secret": "x"}: the value must be dev-only or a reference. */
    private static final Pattern ASSIGNMENT = Pattern.compile(
            "(?i)[\"']?([A-Za-z0-9_.-]*(?:password|passwd|secret|secret[_-]?key|client[_-]?secret|api[_-]?key|"
                    + "access[_-]?token|private[_-]?key|credentials?)[A-Za-z0-9_.-]*)[\"']?\\s*[:=]\\s*[\"']?([^\\s\"',}#]+)");

    private static final Path ROOT = SuiteLayout.locate().root();

    @Test
    void theRepositoryHoldsNoSecrets() throws Exception {
        List<String> findings = new ArrayList<>();
        Process git = new ProcessBuilder("git", "ls-files", "-z").directory(ROOT.toFile()).start();
        String listing = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(git.waitFor()).isZero();
        List<String> files = Stream.of(listing.split("\0")).filter(name -> !name.isBlank()).toList();
        assertThat(files).as("git-tracked files").hasSizeGreaterThan(100);
        for (String name : files) {
            Path file = ROOT.resolve(name);
            if (!Files.isRegularFile(file) || Files.size(file) > 2_000_000) {
                continue;
            }
            String text = textOrNull(Files.readAllBytes(file));
            if (text != null) {
                scan(name, text, isConfig(name), findings);
            }
        }
        assertThat(findings).as("secrets in git-tracked files").isEmpty();
    }

    /** The images are the service jars on a JRE: their resources are what an image adds. */
    @Test
    void theServiceJarsHoldNoSecrets() throws IOException {
        List<String> findings = new ArrayList<>();
        for (Service service : Service.values()) {
            Path jar = SuiteLayout.locate().jar(service);
            try (JarFile file = new JarFile(jar.toFile())) {
                file.stream().filter(entry -> !entry.isDirectory() && entry.getName().startsWith("BOOT-INF/classes/")
                                && !entry.getName().endsWith(".class") && entry.getSize() < 2_000_000)
                        .forEach(entry -> {
                            try {
                                String text = textOrNull(file.getInputStream(entry).readAllBytes());
                                if (text != null) {
                                    scan(service.id() + "!" + entry.getName(), text, isConfig(entry.getName()), findings);
                                }
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        });
            }
        }
        assertThat(findings).as("secrets in the service jars").isEmpty();
    }

    @Test
    void theChartsDefaultsHoldNoSecrets() throws IOException {
        Path work = ROOT.resolve("security-tests/target/charts");
        deleteRecursively(work);
        copyRecursively(ROOT.resolve("charts"), work);
        Path chart = work.resolve("tu");
        new Helm(chart).dependency().update().call();
        String rendered = new Helm(chart).template().withName("tu").withNamespace("tu").call();
        assertThat(rendered).as("the chart rendered").contains("kind: Deployment");
        List<String> findings = new ArrayList<>();
        scan("helm template charts/tu (default values)", rendered, true, findings);
        assertThat(rendered).as("no dev-only value is a chart default").doesNotContain("dev-only-");
        assertThat(findings).as("secrets in the chart's defaults").isEmpty();
    }

    /** After real traffic (valid and forged tokens, uploads), no token, key or password is in any log. */
    @Test
    void theServiceLogsHoldNoSecrets() throws IOException {
        Suite suite = Suite.shared();
        String alice = Keycloak.local().accessToken("alice");
        Http.get(suite.get(Service.API_GATEWAY).baseUri().resolve("api/v1/images?limit=1"), alice);
        Http.get(suite.get(Service.INGESTION).baseUri().resolve("api/v1/me"), alice + "x");
        Http.post(suite.get(Service.GRAPH_GATEWAY).baseUri().resolve("graphql"), alice, "application/json",
                "{\"query\":\"{ nope }\"}");
        Path logs = ROOT.resolve("system-tests/target/service-logs");
        List<Path> files;
        try (Stream<Path> listing = Files.list(logs)) {
            files = listing.filter(file -> file.toString().endsWith(".log")).sorted(Comparator.naturalOrder()).toList();
        }
        assertThat(files).as("service logs in %s", logs).isNotEmpty();
        List<String> findings = new ArrayList<>();
        for (Path file : files) {
            String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            scan(file.getFileName().toString(), text, false, findings);
            for (String value : DEV_ONLY) {
                // guest is also RabbitMQ's user name, which connection logs rightly show.
                if (!value.equals("guest") && text.contains(value)) {
                    findings.add(file.getFileName() + ": a dev-only credential (" + value + ") is logged");
                }
            }
        }
        assertThat(findings).as("secrets in the service logs").isEmpty();
    }

    /** The scanner's own proof: planted secrets are found, the documented dev-only values and references are not. */
    @Test
    void theScannerFindsPlantedSecretsAndPassesTheAllowedOnes() {
        String dash = "-----";
        List<String> planted = List.of(
                dash + "BEGIN RSA PRIVATE KEY" + dash,
                dash + "BEGIN OPENSSH PRIVATE KEY" + dash,
                "aws_access_key_id = AKIA" + "IOSFODNN7EXAMPLE",
                "token: gh" + "p_" + "a".repeat(36),
                "header: eyJ" + "hbGciOiJSUzI1NiJ9.eyJ" + "zdWIiOiJhbGljZSJ9.c2lnbmF0dXJlc2lnbmF0dXJl",
                "Authorization: Bearer " + "abcdefghijklmnopqrstuvwxyz0123",
                "  password: hunter2-in-prod",
                "  password: supersecret",
                "SPRING_DATASOURCE_PASSWORD=s3cr3t",
                "\"clientSecret\": \"6f1c0e0b-real-secret\"",
                "tu.storage.secret-key=AbCdEf0123456789");
        for (String line : planted) {
            List<String> findings = new ArrayList<>();
            scan("planted", line, true, findings);
            assertThat(findings).as("found in: %s", line).isNotEmpty();
        }
        List<String> allowed = List.of("    password: dev-only-ingestion", "SPRING_DATASOURCE_PASSWORD=${TU_DB_PASSWORD}",
                "secret-key: {{ .Values.objectStore.secretKey }}", "\"secret\": \"dev-only-tu-system-secret\"",
                "        checksum/secret-refs: 45e613866d1612bc3d000a376422fc14994f75380207ea793c59c1568bfe9abf",
                "          name: tu-object-store-credentials", "# password: see the chart's Secret",
                "    accessTokenLifespan: 300", "    password: guest", "    passwordKey: admin-password");
        for (String line : allowed) {
            List<String> findings = new ArrayList<>();
            scan("allowed", line, true, findings);
            assertThat(findings).as("allowed: %s", line).isEmpty();
        }
    }

    static void scan(String source, String text, boolean config, List<String> findings) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            for (Rule rule : ALWAYS) {
                if (rule.pattern().matcher(line).find()) {
                    findings.add(source + ":" + (i + 1) + ": " + rule.name());
                }
            }
            String trimmed = line.strip();
            boolean comment = trimmed.startsWith("#") || trimmed.startsWith("//") || trimmed.startsWith("*")
                    || trimmed.startsWith("<!--");
            // A checksum annotation names what it hashes (checksum/secret-refs); the hash is no secret.
            if (config && !comment && !line.contains("checksum/")) {
                Matcher assignment = ASSIGNMENT.matcher(line);
                while (assignment.find()) {
                    String value = assignment.group(2);
                    if (!isAllowed(assignment.group(1), value)) {
                        findings.add(source + ":" + (i + 1) + ": " + assignment.group(1) + " = " + mask(value));
                    }
                }
            }
        }
    }

    /** dev-only values, references (${...}, {{ ... }}, secretKeyRef), and words that are not values. */
    private static boolean isAllowed(String key, String value) {
        String bare = value.replaceAll("[\"';)`]+$", "");
        return DEV_ONLY.contains(bare) || bare.isEmpty()
                || !Character.isLetterOrDigit(bare.charAt(0)) // ${ref}, {{ tpl }}, %s, <placeholder>, `code`, [list]
                || bare.matches("\\d+[smhd]?") // a number or a duration (accessTokenLifespan: 300)
                || bare.matches("(?i)true|false|null|none|~|required|optional|string|secret|password|object|array")
                || bare.matches("[a-z]+[A-Z][A-Za-z]*(\\(.*)?") // a Java or JS identifier (a getter, a field)
                || bare.matches("[A-Za-z0-9_.-]+\\(.*") // a call
                // the name of a Secret or of a key in one (secretName: tu-db-credentials, key: password)
                || (key.matches("(?i).*(name|ref|file|path)") || key.matches(".*[a-z]Key"))
                        && bare.matches("[a-z][a-z0-9.-]*") // ... or passwordKey: admin-password (a chart value)
                || bare.matches("(?i)tu[-_][a-z0-9_-]+"); // a Kubernetes object or client name (tu-system, tu-secrets)
    }

    private static boolean isConfig(String name) {
        return name.matches(".*\\.(ya?ml|properties|env|json|conf|toml|ini|sh|tpl|txt|md|xml)$")
                || name.endsWith("Dockerfile") || name.contains(".env");
    }

    private static String mask(String value) {
        return value.length() <= 4 ? "****" : value.substring(0, 2) + "…(" + value.length() + " chars)";
    }

    /** UTF-8 text, or null for binary files (a NUL, or bytes that are not UTF-8). */
    private static String textOrNull(byte[] bytes) {
        for (int i = 0; i < Math.min(bytes.length, 8000); i++) {
            if (bytes[i] == 0) {
                return null;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static void copyRecursively(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private record Rule(String name, Pattern pattern) {
    }
}
