package dev.tu.orchestrator.workflow;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Service;
import org.springframework.web.ErrorResponseException;

/** Tenant-scoped reads of the workflow state. */
@Service
public class AnalysisQueries {

    private final AnalysisRepository analyses;

    AnalysisQueries(AnalysisRepository analyses) {
        this.analyses = analyses;
    }

    /** A page of analyses and the cursor of the next one, null at the end. */
    public record Page(List<Analysis> items, String nextCursor) {
    }

    public Optional<Analysis> find(String tenant, UUID imageId) {
        return analyses.find(tenant, imageId);
    }

    public List<Analysis> findAll(String tenant, Collection<UUID> imageIds) {
        return analyses.findAll(tenant, imageIds);
    }

    public Page page(String tenant, AnalysisStatus status, String cursor, int limit) {
        Instant afterTime = null;
        UUID afterId = null;
        if (cursor != null) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|");
                afterTime = Instant.parse(parts[0]);
                afterId = UUID.fromString(parts[1]);
            } catch (RuntimeException e) {
                ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                        "The cursor is not one this service handed out.");
                problem.setProperty("code", "INVALID_CURSOR");
                throw new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, e);
            }
        }
        List<Analysis> rows = analyses.page(tenant, status, afterTime, afterId, limit + 1);
        if (rows.size() <= limit) {
            return new Page(rows, null);
        }
        Analysis last = rows.get(limit - 1);
        String next = Base64.getUrlEncoder().withoutPadding().encodeToString(
                (last.updatedAt() + "|" + last.imageId()).getBytes(StandardCharsets.UTF_8));
        return new Page(rows.subList(0, limit), next);
    }
}
