package dev.engram.batch;

import dev.engram.web.CloudEventRoutes;

/**
 * The id of the CloudEvent being handled, the natural idempotency key of the job it starts: a broker
 * that delivers the same event twice delivers the same id. {@link CloudEventRoutes} keeps it (binary
 * and structured mode) on the request's Vert.x context.
 */
public final class BatchEvents {
    private BatchEvents() {}

    /** The current event's id, or null outside a CloudEvent (plain HTTP, Lambda). */
    public static String currentEventId() {
        return CloudEventRoutes.currentEventId();
    }
}
