package dev.tu.ingestion.inspection;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** An upload that is refused before anything is stored; rendered as problem+json with a stable code. */
public final class ImageRejectedException extends ErrorResponseException {

    private final String code;

    public ImageRejectedException(HttpStatus status, String code, String detail) {
        super(status, problem(status, code, detail), null);
        this.code = code;
    }

    /** Stable, machine-readable reason, e.g. {@code CONTENT_TYPE_MISMATCH}. */
    public String code() {
        return code;
    }

    private static ProblemDetail problem(HttpStatus status, String code, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("urn:tu:problem:" + code.toLowerCase().replace('_', '-')));
        problem.setProperty("code", code);
        return problem;
    }
}
