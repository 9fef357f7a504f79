package dev.tu.ingestion.images;

import dev.tu.ingestion.inspection.ImageInspector;
import dev.tu.ingestion.inspection.ImageRejectedException;
import dev.tu.ingestion.storage.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.apache.tomcat.util.http.fileupload.InvalidFileNameException;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.transaction.TransactionException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;

/**
 * Turns outages into 503 problem+json (retryable, nothing written), oversized bodies into 413 and unreadable
 * multipart bodies into 400.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE) // before Boot's generic problem-details handler, which has no codes
class UnavailableHandler {

    private static final Logger log = LoggerFactory.getLogger(UnavailableHandler.class);

    private final ImageInspector inspector;

    UnavailableHandler(ImageInspector inspector) {
        this.inspector = inspector;
    }

    @ExceptionHandler(StoreUnavailableException.class)
    ProblemDetail storeUnavailable(StoreUnavailableException e) {
        log.warn("Object store unavailable: {}", e.getMessage());
        return unavailable("STORE_UNAVAILABLE", "The image store is unavailable; nothing was stored. Retry later.");
    }

    /** Includes a rollback that fails because the connection died mid-transaction: still nothing written. */
    @ExceptionHandler({DataAccessResourceFailureException.class, TransientDataAccessException.class,
            TransactionException.class})
    ProblemDetail databaseUnavailable(Exception e) {
        log.warn("Database unavailable: {}", e.toString());
        return unavailable("DATABASE_UNAVAILABLE", "The image database is unavailable; nothing was stored. Retry later.");
    }

    /**
     * Spring reports every multipart limit as a size limit; the one on a part's headers (Tomcat's 512 bytes)
     * is hit by a file name far over our length limit, which is a bad name, not a large file.
     */
    @ExceptionHandler(MaxUploadSizeExceededException.class)
    ErrorResponse tooLarge(MaxUploadSizeExceededException e) {
        String cause = String.valueOf(NestedExceptionUtils.getMostSpecificCause(e).getMessage()).toLowerCase();
        if (cause.contains("header")) {
            return new ImageRejectedException(HttpStatus.BAD_REQUEST, "UNSAFE_FILE_NAME",
                    "The part's headers are too long: the file name must be a plain, short name.");
        }
        return inspector.tooLarge();
    }

    /**
     * A multipart body the parser cannot read is the client's fault, not a 500: a file name with a NUL
     * (Tomcat refuses it while parsing, before any code of ours sees it) or a broken body.
     */
    @ExceptionHandler(MultipartException.class)
    ProblemDetail unreadableMultipart(MultipartException e) {
        boolean badName = NestedExceptionUtils.getMostSpecificCause(e) instanceof InvalidFileNameException;
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, badName
                ? "The file name must be a plain name, without control characters."
                : "The multipart body cannot be read.");
        problem.setProperty("code", badName ? "UNSAFE_FILE_NAME" : "MALFORMED_MULTIPART");
        return problem;
    }

    private static ProblemDetail unavailable(String code, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, detail);
        problem.setProperty("code", code);
        return problem;
    }
}
