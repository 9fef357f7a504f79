package dev.tu.gateway.edge;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Where an open circuit or an upstream timeout lands: a 503 problem the client can act on, never a hang. */
@RestController
class FallbackController {

    @RequestMapping("/fallback/{upstream}")
    ResponseEntity<ProblemDetail> unavailable(@PathVariable String upstream) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                upstream + " is not answering; nothing was lost on the way. Retry later.");
        problem.setTitle("Upstream unavailable");
        problem.setProperty("code", "UPSTREAM_UNAVAILABLE");
        problem.setProperty("upstream", upstream);
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "5").body(problem);
    }
}
