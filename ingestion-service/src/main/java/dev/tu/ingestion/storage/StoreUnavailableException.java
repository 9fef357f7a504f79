package dev.tu.ingestion.storage;

/** The object store could not be reached or refused the call; callers answer 503 and write nothing. */
public class StoreUnavailableException extends RuntimeException {

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
