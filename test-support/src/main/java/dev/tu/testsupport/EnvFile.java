package dev.tu.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code KEY=VALUE} files as a shell would source them: {@code #} comments, blank lines, and
 * {@code ${NAME}} / {@code ${NAME:-default}} filled from the given variables and earlier keys.
 */
public final class EnvFile {

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

    private EnvFile() {
    }

    /** The file's keys in order, with every reference resolved; an unknown reference is an error. */
    public static Map<String, String> read(Path file, Map<String, String> variables) {
        Map<String, String> entries = new LinkedHashMap<>();
        try {
            int number = 0;
            for (String line : Files.readAllLines(file)) {
                number++;
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                int equals = trimmed.indexOf('=');
                if (equals <= 0) {
                    throw new IllegalArgumentException(file + ":" + number + ": expected KEY=VALUE");
                }
                String key = trimmed.substring(0, equals);
                String value = unquote(trimmed.substring(equals + 1));
                entries.put(key, resolve(value, variables, entries, file + ":" + number));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
        return entries;
    }

    private static String resolve(String value, Map<String, String> variables, Map<String, String> earlier,
            String where) {
        Matcher matcher = REFERENCE.matcher(value);
        StringBuilder resolved = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            String replacement = earlier.containsKey(name) ? earlier.get(name) : variables.get(name);
            if (replacement == null) {
                replacement = matcher.group(2);
            }
            if (replacement == null) {
                throw new IllegalArgumentException(where + ": ${" + name + "} is not defined");
            }
            matcher.appendReplacement(resolved, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(resolved);
        return resolved.toString();
    }

    private static String unquote(String value) {
        boolean quoted = value.length() >= 2
                && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"));
        return quoted ? value.substring(1, value.length() - 1) : value;
    }
}
