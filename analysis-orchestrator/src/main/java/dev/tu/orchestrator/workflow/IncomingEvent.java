package dev.tu.orchestrator.workflow;

import java.util.UUID;

/**
 * An event from {@code tu.events}, reduced to what the workflow needs.
 *
 * @param id            CloudEvents id, the idempotency key
 * @param type          CloudEvents type
 * @param tenant        the image's tenant
 * @param imageId       the image
 * @param objectKey     where the original is, when the event says
 * @param resultJson    the whole payload of {@code tu.image.analyzed}
 * @param failureCode   the code of {@code tu.image.analysis-failed}
 * @param failureDetail the detail of {@code tu.image.analysis-failed}
 */
public record IncomingEvent(String id, String type, String tenant, UUID imageId, String objectKey,
        String resultJson, String failureCode, String failureDetail) {
}
