package dev.engram.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.errors.EngramException;
import dev.engram.errors.Failures;
import dev.engram.errors.UnavailableException;
import dev.engram.inference.openai.OpenAiError;
import io.quarkus.funqy.runtime.FunctionInvoker;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Every failed request is answered here, in the format its caller speaks, always with the failure's
 * status (and Retry-After when it says "come back later": 503, 429):
 * <ul>
 *   <li>Engram's JSON {@code {"error", "message"}} for the functions;</li>
 *   <li>OpenAI's {@code {"error": {"message", "type", "param", "code"}}} for the {@code /v1} routes;</li>
 *   <li>an error event for a CloudEvent, in the mode it came in: type {@code <function>.error}, data
 *   {@code {"error", "message"}}, the failed event's id in {@code correlationid}, so a Knative broker
 *   neither retries a bad event forever nor loses the reason.</li>
 * </ul>
 */
@ApplicationScoped
public class ErrorResponses {
    private static final Logger LOG = Logger.getLogger(ErrorResponses.class);
    private static final String UNPRINTABLE = "{\"error\":\"internal_error\",\"message\":\"unprintable error\"}";

    private final ObjectMapper json;

    public ErrorResponses(ObjectMapper json) {
        this.json = json;
    }

    /** Engram's body, or an error event when the request carries a CloudEvent. */
    void engram(RoutingContext ctx, EngramException error) {
        if (CloudEvents.isCloudEvent(ctx)) {
            try {
                cloudEvent(ctx, error);
                return;
            } catch (Exception e) {
                LOG.errorf(
                        e,
                        "Could not write the error event for %s",
                        ctx.request().path());
            }
        }
        String body;
        try {
            body = json.writeValueAsString(error.body());
        } catch (JsonProcessingException e) {
            body = UNPRINTABLE;
        }
        status(ctx, error)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(body);
    }

    /**
     * OpenAI's body for what a {@code /v1} route failed with (unexpected failures become a logged 500).
     * Nothing is written once the client has hung up.
     */
    public void openAi(RoutingContext ctx, Throwable failure) {
        EngramException error = Failures.of(failure);
        if (Failures.unexpected(error)) {
            LOG.errorf(failure, "Request to %s failed", ctx.request().path());
        }
        if (ctx.response().closed()) {
            return;
        }
        try {
            String body = json.writeValueAsString(OpenAiError.of(error));
            status(ctx, error)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(body);
        } catch (JsonProcessingException e) {
            ctx.fail(error);
        }
    }

    /**
     * Ends a server-sent event stream whose status is sent with OpenAI's body as its last event: once a
     * stream has begun, a failure goes in the stream, as OpenAI-compatible servers do.
     */
    public void openAiInStream(HttpServerResponse stream, Throwable failure) {
        try {
            stream.end("data: " + json.writeValueAsString(OpenAiError.of(Failures.of(failure))) + "\n\n");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The error event for a CloudEvent request; a structured one's id is where {@link CloudEventRoutes} put it. */
    private void cloudEvent(RoutingContext ctx, EngramException error) throws Exception {
        String function = CloudEvents.function(ctx.request().getHeader("ce-type"))
                .or(() -> CloudEvents.functionAt(ctx.request().path()))
                .map(FunctionInvoker::getName)
                .orElse(null);
        if (CloudEvents.isStructured(ctx)) {
            structuredEvent(ctx, error, function, ctx.get(CloudEventRoutes.INPUT_ID));
            return;
        }
        String inputId = ctx.request().getHeader("ce-id");
        HttpServerResponse response = status(ctx, error);
        response.putHeader("ce-specversion", "1.0")
                .putHeader("ce-id", UUID.randomUUID().toString())
                .putHeader("ce-type", CloudEvents.errorType(function))
                .putHeader("ce-source", function == null ? "engram" : CloudEvents.source(function))
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        if (inputId != null) {
            response.putHeader("ce-" + CloudEvents.CORRELATION, inputId);
        }
        response.end(json.writeValueAsString(error.body()));
    }

    /** The structured error event answering the event {@code inputId} sent to {@code function} (null: unknown). */
    void structuredEvent(RoutingContext ctx, EngramException error, String function, String inputId) throws Exception {
        var event = CloudEvents.envelope(
                CloudEvents.errorType(function),
                function == null ? "engram" : CloudEvents.source(function),
                inputId,
                error.body());
        status(ctx, error)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/cloudevents+json")
                .end(json.writeValueAsString(event));
    }

    private static HttpServerResponse status(RoutingContext ctx, EngramException error) {
        HttpServerResponse response = ctx.response().setStatusCode(error.status());
        if (error instanceof UnavailableException unavailable) {
            response.putHeader(HttpHeaders.RETRY_AFTER, Long.toString(unavailable.retryAfterSeconds()));
        }
        return response;
    }
}
