package dev.engram.bindings;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.errors.EngramException;
import dev.engram.errors.UnavailableException;
import io.quarkus.funqy.runtime.FunctionInvoker;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A failed CloudEvent is answered by an error event, in the mode it came in: type
 * {@code <function>.error}, data {@code {"error", "message"}}, the failed event's id in
 * {@code correlationid}, and the HTTP status of the same failure over plain HTTP (4xx/5xx), so a
 * Knative broker neither retries a bad event forever nor loses the reason.
 */
public final class CloudEventErrors {
    private CloudEventErrors() {}

    /** Whether the request carries a CloudEvent (binary: a {@code ce-id} header; structured: its media type). */
    public static boolean isCloudEvent(RoutingContext ctx) {
        return ctx.request().getHeader("ce-id") != null || isStructured(ctx);
    }

    static boolean isStructured(RoutingContext ctx) {
        String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        return type != null && type.startsWith("application/cloudevents+json");
    }

    /** Answers a binary-mode event that failed (the structured ones are answered by {@link CloudEventRoutes}). */
    public static void write(RoutingContext ctx, EngramException error, ObjectMapper json) throws Exception {
        String inputId = ctx.request().getHeader("ce-id");
        String function = CloudEventNames.function(ctx.request().getHeader("ce-type"))
                .or(() -> CloudEventNames.functionAt(ctx.request().path()))
                .map(FunctionInvoker::getName).orElse(null);
        if (isStructured(ctx)) {
            writeStructured(ctx, error, function, (String) ctx.get(CloudEventRoutes.INPUT_ID), json);
            return;
        }
        HttpServerResponse response = prepare(ctx, error);
        response.putHeader("ce-specversion", "1.0")
                .putHeader("ce-id", UUID.randomUUID().toString())
                .putHeader("ce-type", CloudEventNames.errorType(function))
                .putHeader("ce-source", function == null ? "engram" : CloudEventNames.source(function))
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        if (inputId != null) {
            response.putHeader("ce-" + CloudEventNames.CORRELATION, inputId);
        }
        response.end(json.writeValueAsString(error.body()));
    }

    static void writeStructured(RoutingContext ctx, EngramException error, String function, String inputId, ObjectMapper json)
            throws Exception {
        Map<String, Object> event = envelope(CloudEventNames.errorType(function), function == null ? "engram" : CloudEventNames.source(function),
                inputId, error.body());
        prepare(ctx, error).putHeader(HttpHeaders.CONTENT_TYPE, "application/cloudevents+json").end(json.writeValueAsString(event));
    }

    static Map<String, Object> envelope(String type, String source, String inputId, Object data) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("specversion", "1.0");
        event.put("id", UUID.randomUUID().toString());
        event.put("type", type);
        event.put("source", source);
        if (inputId != null) {
            event.put(CloudEventNames.CORRELATION, inputId);
        }
        event.put("datacontenttype", "application/json");
        event.put("data", data);
        return event;
    }

    private static HttpServerResponse prepare(RoutingContext ctx, EngramException error) {
        HttpServerResponse response = ctx.response().setStatusCode(error.status());
        if (error instanceof UnavailableException unavailable) {
            response.putHeader(HttpHeaders.RETRY_AFTER, Long.toString(unavailable.retryAfterSeconds()));
        }
        return response;
    }
}
