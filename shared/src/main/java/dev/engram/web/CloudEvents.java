package dev.engram.web;

import io.quarkus.funqy.runtime.FunctionInvoker;
import io.quarkus.funqy.runtime.FunctionRecorder;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * What Engram's CloudEvents look like: how a request carries one, the envelope of a structured event,
 * and the event types and sources, read from the same configuration Funqy's Knative binding uses
 * ({@code quarkus.funqy.knative-events.mapping.<function>.*}) so both agree: a function is triggered by
 * the type {@code <function>}, answers {@code <function>.output} and fails with {@code <function>.error}.
 */
public final class CloudEvents {
    /** The extension attribute that carries the id of the event a response or error answers. */
    public static final String CORRELATION = "correlationid";
    /** Type of an error event when the failed event named no known function. */
    public static final String UNKNOWN_FUNCTION_ERROR = "engram.error";

    private CloudEvents() {}

    /** Whether the request carries a CloudEvent (binary: a {@code ce-id} header; structured: its media type). */
    static boolean isCloudEvent(RoutingContext ctx) {
        return ctx.request().getHeader("ce-id") != null || isStructured(ctx);
    }

    static boolean isStructured(RoutingContext ctx) {
        String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        return type != null && type.startsWith("application/cloudevents+json");
    }

    /** A structured event: the attributes and {@code data}. */
    static Map<String, Object> envelope(String type, String source, String inputId, Object data) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("specversion", "1.0");
        event.put("id", UUID.randomUUID().toString());
        event.put("type", type);
        event.put("source", source);
        if (inputId != null) {
            event.put(CORRELATION, inputId);
        }
        event.put("datacontenttype", "application/json");
        event.put("data", data);
        return event;
    }

    /** Whether this application was built with the Knative Events binding (-Dengram.binding=knative). */
    public static boolean knativeBinding() {
        try {
            Class.forName(
                    "io.quarkus.funqy.runtime.bindings.knative.events.VertxRequestHandler",
                    false,
                    Thread.currentThread().getContextClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** The function an event of this type triggers, if any. */
    public static Optional<FunctionInvoker> function(String eventType) {
        if (eventType == null || FunctionRecorder.registry == null) {
            return Optional.empty();
        }
        return FunctionRecorder.registry.invokers().stream()
                .filter(f -> trigger(f.getName()).equals(eventType))
                .findFirst();
    }

    /** The function a plain path such as {@code /generate} names, if any. */
    public static Optional<FunctionInvoker> functionAt(String path) {
        if (path == null || path.length() < 2 || FunctionRecorder.registry == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(FunctionRecorder.registry.matchInvoker(path.substring(1)));
    }

    public static String trigger(String function) {
        return mapping(function, "trigger").orElse(function);
    }

    public static String outputType(String function) {
        return mapping(function, "response-type").orElse(function + ".output");
    }

    public static String errorType(String function) {
        return function == null ? UNKNOWN_FUNCTION_ERROR : function + ".error";
    }

    public static String source(String function) {
        return mapping(function, "response-source").orElse(function);
    }

    private static Optional<String> mapping(String function, String key) {
        return ConfigProvider.getConfig()
                .getOptionalValue("quarkus.funqy.knative-events.mapping.\"" + function + "\"." + key, String.class)
                .or(() -> ConfigProvider.getConfig()
                        .getOptionalValue(
                                "quarkus.funqy.knative-events.mapping." + function + "." + key, String.class));
    }
}
