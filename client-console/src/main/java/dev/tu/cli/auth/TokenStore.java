package dev.tu.cli.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.json.JsonMapper;

/**
 * The token cache: {@code $TU_CONFIG_DIR}, else {@code $XDG_CONFIG_HOME/tu}, else {@code ~/.config/tu};
 * one {@code tokens-<profile>.json} per profile. The directory is 0700 and each file 0600 from the
 * moment it exists (written to a private temporary file, then moved into place).
 */
public final class TokenStore {

    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
    private static final JsonMapper json = JsonMapper.builder().build();

    private final Path directory;

    public TokenStore(Path directory) {
        this.directory = directory;
    }

    /** The cache directory the environment names. */
    public static TokenStore fromEnvironment(Map<String, String> env) {
        String explicit = env.get("TU_CONFIG_DIR");
        if (explicit != null && !explicit.isBlank()) {
            return new TokenStore(Path.of(explicit));
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return new TokenStore(base.resolve("tu"));
    }

    public Path file(String profile) {
        return directory.resolve("tokens-" + profile + ".json");
    }

    public Optional<StoredTokens> load(String profile) {
        Path file = file(profile);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.readValue(file.toFile(), StoredTokens.class));
        } catch (RuntimeException e) {
            return Optional.empty(); // an unreadable cache is the same as none: log in again
        }
    }

    public void save(String profile, StoredTokens tokens) {
        try {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(OWNER_DIR));
            Files.setPosixFilePermissions(directory, OWNER_DIR);
            Path temporary = Files.createTempFile(directory, ".tokens-", ".tmp",
                    PosixFilePermissions.asFileAttribute(OWNER_FILE));
            Files.write(temporary, json.writeValueAsBytes(tokens));
            Files.move(temporary, file(profile), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the token cache in " + directory, e);
        }
    }

    public boolean delete(String profile) {
        try {
            return Files.deleteIfExists(file(profile));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
