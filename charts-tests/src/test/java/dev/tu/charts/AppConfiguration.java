package dev.tu.charts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The configuration properties an application reads, taken from its executable jar: the configuration
 * metadata of every library and of the app itself (Spring Boot's configuration processor), plus every key
 * and `${...}` placeholder of its own application*.yaml and of the shared defaults. Names are kept in
 * canonical relaxed form (lower case, no dashes), so an environment variable can be matched the way
 * Spring's relaxed binding matches it.
 */
final class AppConfiguration {

    private static final ObjectMapper json = new ObjectMapper();
    private static final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-zA-Z0-9.\\-\\[\\]]+)");

    private final Set<String> properties;

    private AppConfiguration(Set<String> properties) {
        this.properties = properties;
    }

    static AppConfiguration of(Path executableJar) {
        Set<String> names = new HashSet<>();
        try (InputStream in = java.nio.file.Files.newInputStream(executableJar)) {
            scan(new ZipInputStream(in), names);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + executableJar, e);
        }
        return new AppConfiguration(names);
    }

    /** Whether the app reads the property an environment variable binds to (SPRING_KAFKA_BOOTSTRAPSERVERS). */
    boolean reads(String environmentVariable) {
        return properties.contains(environmentVariable.toLowerCase(java.util.Locale.ROOT).replace('_', '.'));
    }

    int size() {
        return properties.size();
    }

    private static void scan(ZipInputStream zip, Set<String> names) throws IOException {
        for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
            String name = entry.getName();
            if (name.endsWith(".jar")) {
                scan(new ZipInputStream(new ByteArrayInputStream(zip.readAllBytes())), names);
            } else if (name.endsWith("spring-configuration-metadata.json")) {
                JsonNode metadata = json.readTree(zip.readAllBytes());
                metadata.path("properties").forEach(property -> names.add(canonical(property.path("name").asText())));
            } else if (name.matches("(BOOT-INF/classes/)?application[^/]*\\.ya?ml")) {
                String text = new String(zip.readAllBytes(), StandardCharsets.UTF_8);
                try (YAMLParser parser = (YAMLParser) yaml.getFactory().createParser(text)) {
                    for (Iterator<JsonNode> docs = yaml.readValues(parser, JsonNode.class); docs.hasNext(); ) {
                        flatten("", docs.next(), names);
                    }
                }
                placeholders(text, names);
            } else if (name.endsWith("tu-service-defaults.properties")) {
                String text = new String(zip.readAllBytes(), StandardCharsets.UTF_8);
                Properties properties = new Properties();
                properties.load(new java.io.StringReader(text));
                properties.stringPropertyNames().forEach(key -> names.add(canonical(key)));
                placeholders(text, names);
            }
        }
    }

    private static void flatten(String prefix, JsonNode node, Set<String> names) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                flatten(prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey(), field.getValue(), names);
            }
        } else {
            names.add(canonical(prefix));
        }
    }

    private static void placeholders(String text, Set<String> names) {
        Matcher matcher = PLACEHOLDER.matcher(text);
        while (matcher.find()) {
            names.add(canonical(matcher.group(1)));
        }
    }

    private static String canonical(String property) {
        return property.toLowerCase(java.util.Locale.ROOT).replace("-", "");
    }
}
