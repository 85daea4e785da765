package dev.engram.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.errors.BadJson;
import dev.engram.errors.EngramException;
import dev.engram.errors.Failures;
import dev.engram.errors.InvalidRequestException;
import io.quarkus.funqy.runtime.FunctionInvoker;
import io.quarkus.funqy.runtime.FunctionRecorder;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Answers every failed HTTP request through {@link ErrorResponses} (Engram's JSON, or an error event
 * for a CloudEvent) with the right status: {@link EngramException}s keep theirs, unreadable bodies
 * become 400 with Jackson's own description of what is wrong, anything unexpected a logged 500.
 */
@ApplicationScoped
public class HttpErrors {
    private static final Logger LOG = Logger.getLogger(HttpErrors.class);

    private final ObjectMapper json;
    private final ErrorResponses responses;

    public HttpErrors(ObjectMapper json, ErrorResponses responses) {
        this.json = json;
        this.responses = responses;
    }

    void install(@Observes Router router) {
        router.route().order(RouteOrder.FAILURES.value()).failureHandler(this::handle);
        router.route().order(RouteOrder.NOT_FOUND.value()).handler(ctx -> ctx.fail(404));
    }

    private void handle(RoutingContext ctx) {
        if (ctx.response().ended()) {
            return;
        }
        Throwable failure = ctx.failure();
        EngramException known = Failures.known(failure);
        EngramException error = known != null ? known : translate(ctx, failure);
        if (Failures.unexpected(error)) {
            LOG.errorf(failure, "Request to %s failed", ctx.request().path());
        }
        responses.engram(ctx, error);
    }

    private EngramException translate(RoutingContext ctx, Throwable failure) {
        int status = ctx.statusCode();
        if (failure == null && status == 400) {
            return new InvalidRequestException("invalid_json", describeUnreadableBody(ctx));
        }
        if (failure == null && status == 404) {
            return new EngramException(
                    404, "not_found", "No function at " + ctx.request().path());
        }
        if (failure == null && status == 405) {
            return new EngramException(405, "method_not_allowed", "Use POST with a JSON body");
        }
        if (failure == null && status == 413) {
            return new EngramException(413, "request_too_large", "The request body is larger than the server accepts");
        }
        if (failure == null && status > 0 && status < 500) {
            return new EngramException(status, "client_error", "The request was rejected (HTTP " + status + ")");
        }
        return new EngramException(
                500,
                "internal_error",
                "The function failed unexpectedly"
                        + (failure == null ? "" : ": " + failure.getClass().getSimpleName()));
    }

    /** Funqy drops the parser's exception; reading the body again recovers a message that names the problem. */
    private String describeUnreadableBody(RoutingContext ctx) {
        String path = ctx.request().path().substring(1);
        FunctionInvoker invoker =
                FunctionRecorder.registry == null ? null : FunctionRecorder.registry.matchInvoker(path);
        var body = ctx.body() == null ? null : ctx.body().buffer();
        if (invoker == null || body == null || !invoker.hasInput()) {
            return "The request body could not be read";
        }
        try {
            json.readerFor(json.constructType(invoker.getInputType())).readValue(body.getBytes());
            return "The request body could not be read";
        } catch (Exception e) {
            return "Invalid JSON body: " + BadJson.describe(e);
        }
    }
}
