package dev.tu.charts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
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

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.SPLIT_LINES));

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

    /**
     * A copy of the built umbrella chart whose values.yaml is the chart's values with the scenario's files merged
     * over them in order (maps merge, anything else is replaced: Helm's coalescing), for commands that take no
     * values files (helm-java's lint).
     */
    static synchronized Path withValues(Scenario scenario) {
        Path copy = root().resolve("charts-tests/target/charts-with-values").resolve(scenario.name()).resolve("tu");
        deleteRecursively(copy.getParent());
        copyRecursively(umbrella(), copy);
        try {
            YAML.writeValue(copy.resolve("values.yaml").toFile(), values(scenario));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return copy;
    }

    /** The values a scenario renders with: the chart's values.yaml, the scenario's files merged over them in order. */
    static ObjectNode values(Scenario scenario) {
        try {
            ObjectNode values = (ObjectNode) YAML.readTree(sourceChart().resolve("values.yaml").toFile());
            for (Path file : scenario.valuesFiles()) {
                JsonNode overlay = YAML.readTree(file.toFile());
                if (overlay instanceof ObjectNode object) {
                    merge(values, object);
                }
            }
            return values;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void merge(ObjectNode base, ObjectNode overlay) {
        for (Map.Entry<String, JsonNode> field : overlay.properties()) {
            JsonNode existing = base.get(field.getKey());
            if (existing instanceof ObjectNode existingObject && field.getValue() instanceof ObjectNode overlayObject) {
                merge(existingObject, overlayObject);
            } else {
                base.set(field.getKey(), field.getValue());
            }
        }
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
