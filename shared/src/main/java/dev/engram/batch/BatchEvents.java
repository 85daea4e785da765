package dev.engram.batch;

import dev.engram.bindings.CloudEventRoutes;
import io.quarkus.arc.Arc;
import io.quarkus.arc.InstanceHandle;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ContextNotActiveException;

/**
 * The id of the CloudEvent being handled, the natural idempotency key of the job it starts: a broker
 * that delivers the same event twice delivers the same id. Binary mode carries it in {@code ce-id};
 * structured mode is dispatched by {@link CloudEventRoutes}, which keeps it on the routing context.
 */
public final class BatchEvents {
    private BatchEvents() {}

    /** The current event's id, or null outside a CloudEvent (plain HTTP, Lambda). */
    public static String currentEventId() {
        try (InstanceHandle<CurrentVertxRequest> request = Arc.container().instance(CurrentVertxRequest.class)) {
            RoutingContext ctx = request.isAvailable() ? request.get().getCurrent() : null;
            if (ctx == null) {
                return null;
            }
            String binary = ctx.request().getHeader("ce-id");
            return binary != null ? binary : ctx.get(CloudEventRoutes.INPUT_ID);
        } catch (ContextNotActiveException e) {
            return null;
        }
    }
}
