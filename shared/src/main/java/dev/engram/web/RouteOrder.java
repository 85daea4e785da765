package dev.engram.web;

import io.quarkus.vertx.http.runtime.RouteConstants;

/**
 * Where each of Engram's routes stands in the Vert.x router, first to last. One process may serve every
 * function, so the routes of all of them meet in one router: each registers with its place here.
 * Funqy's routes are registered by Quarkus without an order of Engram's and come after all but the last.
 */
public enum RouteOrder {
    /**
     * The failure handler: failure handlers run in order too, and this one must answer every failure
     * (a function's, the body handler's 413, an auth refusal) before Vert.x's plain-text default.
     */
    FAILURES(Integer.MIN_VALUE),
    /**
     * CloudEvent dispatch, in the body handler's turn and registered ahead of it: a structured event's
     * body is read and authenticated here, never by the body handler or {@link #AUTH}.
     */
    CLOUD_EVENTS(RouteConstants.ROUTE_ORDER_BODY_HANDLER),
    /** Authentication, after the body handler and before anything that serves a caller. */
    AUTH(RouteConstants.ROUTE_ORDER_BODY_HANDLER + 1),
    /** The {@code /v1} OpenAI-compatible routes: authenticated, and ahead of Funqy's catch-all route. */
    OPENAI(-100),
    /** Last: a request no function or route took gets the JSON 404. */
    NOT_FOUND(Integer.MAX_VALUE);

    private final int value;

    RouteOrder(int value) {
        this.value = value;
    }

    /** The value for {@code Route.order(int)}. */
    public int value() {
        return value;
    }
}
