package dev.tu.orchestrator.api;

import dev.tu.orchestrator.workflow.Analysis;
import dev.tu.orchestrator.workflow.AnalysisQueries;
import dev.tu.orchestrator.workflow.AnalysisStatus;
import dev.tu.orchestrator.workflow.Workflow;
import dev.tu.service.caller.Caller;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * No class-level {@code @Validated}: Spring MVC checks the parameters' constraints itself and answers 400
 * problem+json; the method-validation proxy's {@code ConstraintViolationException} was a 500.
 */
@RestController
@RequestMapping("/api/v1/analyses")
class AnalysisController {

    private final AnalysisQueries queries;
    private final Workflow workflow;

    AnalysisController(AnalysisQueries queries, Workflow workflow) {
        this.queries = queries;
        this.workflow = workflow;
    }

    @GetMapping("/{imageId}")
    @PreAuthorize("hasRole('tu-reader')")
    Analysis get(@AuthenticationPrincipal Jwt jwt, @PathVariable UUID imageId) {
        return queries.find(Caller.from(jwt).tenant(), imageId).orElseThrow(() -> notFound(imageId));
    }

    /** Batch by image ids (graph-gateway's lookup), or a page newest-change first. */
    @GetMapping
    @PreAuthorize("hasRole('tu-reader')")
    AnalysisQueries.Page list(@AuthenticationPrincipal Jwt jwt,
            @RequestParam(required = false) @Size(max = 100) List<UUID> imageIds,
            @RequestParam(required = false) AnalysisStatus status,
            @RequestParam(required = false) String cursor,
            @RequestParam(defaultValue = "20") @Min(1) @Max(100) int limit) {
        String tenant = Caller.from(jwt).tenant();
        if (imageIds != null) {
            return new AnalysisQueries.Page(queries.findAll(tenant, imageIds), null);
        }
        return queries.page(tenant, status, cursor, limit);
    }

    @PostMapping("/{imageId}/reanalysis")
    @PreAuthorize("hasRole('tu-analyst')")
    ResponseEntity<Analysis> reanalyse(@AuthenticationPrincipal Jwt jwt, @PathVariable UUID imageId) {
        return workflow.requestReanalysis(Caller.from(jwt).tenant(), imageId)
                .map(analysis -> ResponseEntity.accepted().body(analysis))
                .orElseThrow(() -> notFound(imageId));
    }

    private static ErrorResponseException notFound(UUID imageId) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                "No analysis for image " + imageId + ".");
        problem.setProperty("code", "ANALYSIS_NOT_FOUND");
        return new ErrorResponseException(HttpStatus.NOT_FOUND, problem, null);
    }
}
