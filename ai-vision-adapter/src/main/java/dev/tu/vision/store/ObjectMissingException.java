package dev.tu.vision.store;

/** The event names an object the store does not have; retrying cannot help. */
public class ObjectMissingException extends RuntimeException {

    public ObjectMissingException(String key, Throwable cause) {
        super("No object " + key + " in the store", cause);
    }
}
