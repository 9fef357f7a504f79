package dev.tu.charts;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The charts under test: copied once per JVM into target/ (so `helm dependency update` never writes into
 * the source tree), the library chart vendored into the umbrella chart, then rendered with real Helm.
 */
final class Charts {

    static final String RELEASE = "tu";
    static final String NAMESPACE = "tu";

    private static Path umbrella;

    private Charts() {
    }

    /** The repository root (the surefire/failsafe configuration passes -Dtu.root). */
    static Path root() {
        return Path.of(System.getProperty("tu.root", "..")).toAbsolutePath().normalize();
    }

    /** The source chart directory (charts/tu) — scenarios and environment files are read from here. */
    static Path sourceChart() {
        return root().resolve("charts/tu");
    }

    /** A copy of charts/tu with its dependencies built, ready for lint and template. */
    static synchronized Path umbrella() {
        if (umbrella == null) {
            Path work = root().resolve("charts-tests/target/charts");
            deleteRecursively(work);
            copyRecursively(root().resolve("charts"), work);
            Path chart = work.resolve("tu");
            new Helm(chart).dependency().update().call();
            umbrella = chart;
        }
        return umbrella;
    }

    /** The `ci/*-values.yaml` scenarios plus the two environment files, by name. */
    static List<Scenario> scenarios() {
        List<Scenario> scenarios = new ArrayList<>();
        try (Stream<Path> files = Files.list(sourceChart().resolve("ci"))) {
            files.filter(file -> file.getFileName().toString().endsWith("-values.yaml")).sorted()
                    .forEach(file -> scenarios.add(new Scenario(
                            "ci-" + file.getFileName().toString().replace("-values.yaml", ""), List.of(file))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        scenarios.add(new Scenario("env-kind", List.of(sourceChart().resolve("values-kind.yaml"))));
        scenarios.add(new Scenario("env-production", List.of(sourceChart().resolve("values-production.yaml"))));
        return scenarios;
    }

    /** Renders the chart (tests included) with the values files and --set pairs, as `helm template` does. */
    static String render(List<Path> valuesFiles, Map<String, String> sets) {
        TemplateCommand template = new Helm(umbrella()).template().withName(RELEASE).withNamespace(NAMESPACE);
        for (Path file : valuesFiles) {
            template = template.withValuesFile(file);
        }
        for (Map.Entry<String, String> set : sets.entrySet()) {
            template = template.set(set.getKey(), set.getValue());
        }
        return template.call();
    }

    /** One scenario: a name and the values files layered in order. */
    record Scenario(String name, List<Path> valuesFiles) {

        String render() {
            return Charts.render(valuesFiles, Map.of());
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static void copyRecursively(Path from, Path to) {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot copy " + from, e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + dir, e);
        }
    }
}
