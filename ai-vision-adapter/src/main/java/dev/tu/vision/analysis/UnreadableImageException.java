package dev.tu.vision.analysis;

/** The bytes are not an image the decoders can read; retrying the same bytes cannot help. */
public class UnreadableImageException extends RuntimeException {

    public UnreadableImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
