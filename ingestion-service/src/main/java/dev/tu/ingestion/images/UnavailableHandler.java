package dev.tu.ingestion.images;

import dev.tu.ingestion.inspection.ImageInspector;
import dev.tu.ingestion.storage.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

/** Turns outages into 503 problem+json (retryable, nothing written) and oversized bodies into 413. */
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

    @ExceptionHandler(MaxUploadSizeExceededException.class)
    ErrorResponse tooLarge() {
        return inspector.tooLarge();
    }

    private static ProblemDetail unavailable(String code, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, detail);
        problem.setProperty("code", code);
        return problem;
    }
}
