package dev.tu.gateway.edge;

import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/**
 * Where an open circuit or an upstream timeout lands: a 503 problem the client can act on, never a hang.
 * Only a route's circuit breaker reaches it (the forwarded exchange still carries its route); called
 * directly from outside it does not exist (security-tests EdgeExposureIT).
 */
@RestController
class FallbackController {

    @RequestMapping("/fallback/{upstream}")
    ResponseEntity<ProblemDetail> unavailable(@PathVariable String upstream, ServerWebExchange exchange) {
        if (exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR) == null) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).body(ProblemDetail.forStatus(HttpStatus.NOT_FOUND));
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                upstream + " is not answering; nothing was lost on the way. Retry later.");
        problem.setTitle("Upstream unavailable");
        problem.setProperty("code", "UPSTREAM_UNAVAILABLE");
        problem.setProperty("upstream", upstream);
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "5").body(problem);
    }
}
