package dev.engram.errors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.bindings.CloudEventErrors;
import io.quarkus.funqy.runtime.FunctionInvoker;
import io.quarkus.funqy.runtime.FunctionRecorder;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Gives every failed HTTP request a JSON body {@code {"error", "message"}} and the right status:
 * {@link EngramException}s keep theirs (503s add Retry-After), unreadable bodies become 400 with
 * Jackson's own description of what is wrong, anything unexpected a logged 500.
 */
@ApplicationScoped
public class HttpErrors {
    private static final Logger LOG = Logger.getLogger(HttpErrors.class);

    private final ObjectMapper json;

    public HttpErrors(ObjectMapper json) {
        this.json = json;
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::handle);
        // Requests no function or endpoint took get the same JSON 404.
        router.route().order(Integer.MAX_VALUE).handler(ctx -> ctx.fail(404));
    }

    private void handle(RoutingContext ctx) {
        if (ctx.response().ended()) {
            return;
        }
        Throwable failure = unwrap(ctx.failure());
        EngramException known = known(failure);
        EngramException error = known != null ? known : translate(ctx, failure);
        if (error.status() >= 500 && !(error instanceof UnavailableException)) {
            LOG.errorf(failure, "Request to %s failed", ctx.request().path());
        }
        if (CloudEventErrors.isCloudEvent(ctx)) {
            try {
                CloudEventErrors.write(ctx, error, json);
                return;
            } catch (Exception e) {
                LOG.errorf(e, "Could not write the error event for %s", ctx.request().path());
            }
        }
        if (error instanceof UnavailableException unavailable) {
            ctx.response().putHeader(HttpHeaders.RETRY_AFTER, Long.toString(unavailable.retryAfterSeconds()));
        }
        String body;
        try {
            body = json.writeValueAsString(error.body());
        } catch (JsonProcessingException e) {
            body = "{\"error\":\"internal_error\",\"message\":\"unprintable error\"}";
        }
        ctx.response().setStatusCode(error.status()).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body);
    }

    /**
     * The failure as the caller should see it, or null when it is unexpected: an EngramException (however
     * deeply wrapped), or an unreadable body (a Jackson exception: Funqy's CloudEvent binding passes it on).
     */
    public static EngramException known(Throwable failure) {
        Throwable unwrapped = unwrap(failure);
        if (unwrapped instanceof EngramException engram) {
            return engram;
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JsonProcessingException bad) {
                return new InvalidRequestException("invalid_json", "Invalid JSON body: " + BadJson.describe(bad));
            }
        }
        return null;
    }

    /** Funqy wraps what a function throws in its own ApplicationException. */
    static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while (current != null && !(current instanceof EngramException) && current.getCause() != null && current.getCause() != current) {
            current = current.getCause();
        }
        return current instanceof EngramException ? current : failure;
    }

    private EngramException translate(RoutingContext ctx, Throwable failure) {
        int status = ctx.statusCode();
        if (failure == null && status == 400) {
            return new InvalidRequestException("invalid_json", describeUnreadableBody(ctx));
        }
        if (failure == null && status == 404) {
            return new EngramException(404, "not_found", "No function at " + ctx.request().path());
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
        return new EngramException(500, "internal_error",
                "The function failed unexpectedly" + (failure == null ? "" : ": " + failure.getClass().getSimpleName()));
    }

    /** Funqy drops the parser's exception; reading the body again recovers a message that names the problem. */
    private String describeUnreadableBody(RoutingContext ctx) {
        String path = ctx.request().path().substring(1);
        FunctionInvoker invoker = FunctionRecorder.registry == null ? null : FunctionRecorder.registry.matchInvoker(path);
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
