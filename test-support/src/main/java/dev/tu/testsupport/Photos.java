package dev.tu.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Real photographs shipped with the tests; {@code photos/SOURCES.md} says where each comes from. */
public final class Photos {

    private Photos() {
    }

    /** The bytes of {@code photos/<name>}. */
    public static byte[] load(String name) {
        try (InputStream in = Photos.class.getResourceAsStream("/photos/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("No photo " + name + " in test-support's photos/");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
