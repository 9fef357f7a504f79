package dev.tu.orchestrator.deadletters;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The administrators' view of dead letters, across tenants: list them, replay one or all. */
/**
 * No class-level {@code @Validated}: Spring MVC checks the parameters' constraints itself and answers 400
 * problem+json; the method-validation proxy's {@code ConstraintViolationException} was a 500.
 */
@RestController
@RequestMapping("/api/v1/admin/dead-letters")
@PreAuthorize("hasRole('tu-admin')")
class DeadLetterController {

    private final DeadLetterStore store;
    private final Replays replays;

    DeadLetterController(DeadLetterStore store, Replays replays) {
        this.store = store;
        this.replays = replays;
    }

    @GetMapping
    List<DeadLetter> list(@RequestParam(defaultValue = "false") boolean pending,
            @RequestParam(defaultValue = "50") @Min(1) @Max(1000) int limit) {
        return store.list(pending, limit);
    }

    @GetMapping("/{id}")
    DeadLetter get(@PathVariable UUID id) {
        return store.find(id).orElseThrow(() -> notFound(id));
    }

    /** 200 once sent; 409 {@code ALREADY_REPLAYED} when it was, unless {@code again=true}. */
    @PostMapping("/{id}/replay")
    DeadLetter replay(@PathVariable UUID id, @RequestParam(defaultValue = "false") boolean again) {
        Replays.Outcome outcome = replays.replay(id, again).orElseThrow(() -> notFound(id));
        if (outcome == Replays.Outcome.ALREADY_REPLAYED) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
                    "Dead letter " + id + " was already replayed; ask again to send it once more"
                            + " (again=true; tu dead-letters replay --again).");
            problem.setProperty("code", "ALREADY_REPLAYED");
            throw new ErrorResponseException(HttpStatus.CONFLICT, problem, null);
        }
        return store.find(id).orElseThrow();
    }

    /** Replays every entry not replayed yet. */
    @PostMapping("/replay")
    Map<String, List<UUID>> replayPending() {
        return Map.of("replayed", replays.replayPending());
    }

    private static ErrorResponseException notFound(UUID id) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "No dead letter " + id + ".");
        problem.setProperty("code", "DEAD_LETTER_NOT_FOUND");
        return new ErrorResponseException(HttpStatus.NOT_FOUND, problem, null);
    }
}
