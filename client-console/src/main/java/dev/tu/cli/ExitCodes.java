package dev.tu.cli;

/** What {@code tu} exits with; listed in every command's help. */
public final class ExitCodes {

    /** Done. */
    public static final int OK = 0;
    /** The command ran but did not fully succeed (a failed upload, GraphQL errors, a watch timeout). */
    public static final int FAILED = 1;
    /** Wrong usage: unknown option, missing argument (picocli's code). */
    public static final int USAGE = 2;
    /** Not logged in, session expired, or the caller lacks the role. */
    public static final int AUTH = 3;
    /** The image (or dead letter) does not exist, or the image belongs to another tenant. */
    public static final int NOT_FOUND = 4;
    /** The gateway or Keycloak cannot be reached or is unavailable. */
    public static final int UNAVAILABLE = 5;

    static final String HELP = """
            Exit codes: 0 ok, 1 partly failed, 2 usage, 3 not logged in / not allowed, 4 not found, \
            5 server unreachable.""";

    private ExitCodes() {
    }
}
