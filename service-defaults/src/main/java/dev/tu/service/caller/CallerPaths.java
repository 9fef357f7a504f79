package dev.tu.service.caller;

/** Paths of the caller endpoint. */
public final class CallerPaths {

    /** Who the service thinks the caller is. */
    public static final String ME = "/api/v1/me";

    private CallerPaths() {
    }
}
