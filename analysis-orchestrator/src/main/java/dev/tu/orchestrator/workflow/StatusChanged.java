package dev.tu.orchestrator.workflow;

import java.time.Instant;
import java.util.UUID;

/**
 * A workflow's status change as live clients receive it on {@code tu.notifications}. Published in the
 * transaction that made the change, so Spring Modulith's event publication registry stores it with that
 * transaction and keeps it until RabbitMQ has confirmed it ({@link StatusAnnouncements}).
 *
 * @param imageId     the image
 * @param tenant      its tenant
 * @param status      the status it reached
 * @param attempts    analysis attempts issued so far
 * @param updatedAt   when it changed (with the status, the notification's identity)
 * @param failureCode why it failed, when failed
 */
public record StatusChanged(UUID imageId, String tenant, String status, int attempts, Instant updatedAt,
        String failureCode) {

    static StatusChanged of(Analysis analysis) {
        return new StatusChanged(analysis.imageId(), analysis.tenant(), analysis.status().name(), analysis.attempts(),
                analysis.updatedAt(), analysis.failureCode());
    }

    /** Stable per transition: a status change sent again carries the same id, and consumers drop it. */
    public String id() {
        return "status:" + imageId + ":" + status + ":" + updatedAt;
    }
}
