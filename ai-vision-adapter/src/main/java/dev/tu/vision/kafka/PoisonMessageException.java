package dev.tu.vision.kafka;

/** A record that can never be analysed; it goes to the dead-letter topic, never retried. */
class PoisonMessageException extends RuntimeException {

    private final String code;

    PoisonMessageException(String code, String message, Throwable cause) {
        super(code + ": " + message, cause);
        this.code = code;
    }

    String code() {
        return code;
    }
}
