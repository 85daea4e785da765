package dev.engram.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.auth.Authenticator;
import dev.engram.auth.EventSignatures;
import dev.engram.errors.BadJson;
import dev.engram.errors.EngramException;
import dev.engram.errors.Failures;
import dev.engram.errors.InvalidRequestException;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import io.quarkus.funqy.runtime.FunctionInvoker;
import io.quarkus.funqy.runtime.FunqyServerRequest;
import io.quarkus.funqy.runtime.FunqyServerResponse;
import io.quarkus.funqy.runtime.RequestContext;
import io.quarkus.funqy.runtime.RequestContextImpl;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * CloudEvents in a Knative build. Binary mode is Funqy's: this only adds the input's id to the
 * response as {@code ce-correlationid}. Structured mode is dispatched here, to the same Funqy function
 * (same strict reader, same invoker): Funqy writes a structured response from a map Engram cannot
 * add an attribute to, and by the time a failure reaches the error handler the event's id is gone
 * with the body it was read from.
 */
@ApplicationScoped
public class CloudEventRoutes {
    /** The structured event's id, kept on the routing context for functions that use it (batch idempotency). */
    public static final String INPUT_ID = "engram.cloudevent.id";

    private static final Logger LOG = Logger.getLogger(CloudEventRoutes.class);

    private final ObjectMapper json;
    private final Authenticator authenticator;
    private final ErrorResponses errors;

    public CloudEventRoutes(ObjectMapper json, Authenticator authenticator, ErrorResponses errors) {
        this.json = json;
        this.authenticator = authenticator;
        this.errors = errors;
    }

    void install(@Observes Router router) {
        if (!CloudEvents.knativeBinding()) {
            return;
        }
        router.route().order(RouteOrder.CLOUD_EVENTS.value()).handler(this::route);
    }

    private void route(RoutingContext ctx) {
        if (CloudEvents.isStructured(ctx) && ctx.request().method() == HttpMethod.POST) {
            // Quarkus hands the request over paused: resume it, or the body never arrives
            ctx.request().resume();
            ctx.request().body().onComplete(read -> {
                if (read.failed()) {
                    ctx.fail(read.cause());
                    return;
                }
                // the function blocks (inference, Redis): run it off the event loop
                ctx.vertx()
                        .executeBlocking(
                                () -> {
                                    structured(ctx, read.result());
                                    return null;
                                },
                                false)
                        .onFailure(ctx::fail);
            });
            return;
        }
        String id = ctx.request().getHeader("ce-id");
        if (id != null) {
            rememberId(id);
            ctx.addHeadersEndHandler(v -> {
                if (!ctx.response().headers().contains("ce-" + CloudEvents.CORRELATION)) {
                    ctx.response().putHeader("ce-" + CloudEvents.CORRELATION, id);
                }
            });
        }
        ctx.next();
    }

    private void structured(RoutingContext ctx, Buffer body) {
        String inputId = null;
        String function = null;
        try {
            JsonNode event = readEvent(body);
            inputId = event.path("id").asText(null);
            ctx.put(INPUT_ID, inputId);
            rememberId(inputId);
            for (String attribute : new String[] {"specversion", "id", "source", "type"}) {
                if (!event.path(attribute).isTextual()
                        || event.path(attribute).asText().isEmpty()) {
                    throw new InvalidRequestException(
                            "invalid_cloud_event", "The CloudEvent has no '" + attribute + "' attribute");
                }
            }
            String type = event.get("type").asText();
            FunctionInvoker invoker = CloudEvents.function(type)
                    .orElseThrow(() -> new EngramException(
                            404, "unknown_event_type", "No function is triggered by events of type '" + type + "'"));
            function = invoker.getName();
            if (authenticator.enabled()) {
                // AuthRoutes never sees a structured event: a Bearer header, or else signed attributes.
                String authorization = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
                ctx.put(
                        Authenticator.CALLER,
                        authorization != null
                                ? authenticator.bearer(authorization)
                                : authenticator.event(
                                        event.path(EventSignatures.TENANT).asText(null),
                                        event.path(EventSignatures.SIGNATURE).asText(null),
                                        inputId));
            }
            String contentType = event.path("datacontenttype").asText("application/json");
            if (!contentType.startsWith("application/json")) {
                throw new EngramException(
                        415,
                        "unsupported_data",
                        "'datacontenttype' must be application/json, got '" + contentType + "'");
            }
            Object output = invoke(ctx, invoker, readData(invoker, event.get("data")));
            String answer = json.writeValueAsString(CloudEvents.envelope(
                    CloudEvents.outputType(function), CloudEvents.source(function), inputId, output));
            ctx.response()
                    .setStatusCode(200)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/cloudevents+json")
                    .end(answer);
        } catch (Throwable failure) {
            EngramException error = Failures.known(failure);
            if (error == null) {
                LOG.errorf(failure, "CloudEvent to %s failed", function);
                error = new EngramException(
                        500,
                        "internal_error",
                        "The function failed unexpectedly: "
                                + failure.getClass().getSimpleName());
            }
            try {
                errors.structuredEvent(ctx, error, function, inputId);
            } catch (Exception e) {
                ctx.fail(500, e);
            }
        }
    }

    /**
     * The event's id as a local of the request's (duplicated) Vert.x context, where the function invoked
     * for it can read it ({@link #currentEventId()}): batch jobs use it as their idempotency key.
     */
    private static void rememberId(String id) {
        if (id != null
                && io.vertx.core.Vertx.currentContext() != null
                && io.smallrye.common.vertx.VertxContext.isOnDuplicatedContext()) {
            io.smallrye.common.vertx.ContextLocals.put(INPUT_ID, id);
        }
    }

    /** The id of the CloudEvent whose function runs on this thread, or null (plain HTTP, Lambda, no event). */
    public static String currentEventId() {
        if (io.vertx.core.Vertx.currentContext() == null
                || !io.smallrye.common.vertx.VertxContext.isOnDuplicatedContext()) {
            return null;
        }
        return io.smallrye.common.vertx.ContextLocals.<String>get(INPUT_ID).orElse(null);
    }

    private JsonNode readEvent(Buffer body) {
        try {
            JsonNode event = json.readTree(body.getBytes());
            if (event == null || !event.isObject()) {
                throw new InvalidRequestException(
                        "invalid_cloud_event", "A structured CloudEvent must be a JSON object");
            }
            return event;
        } catch (java.io.IOException e) {
            throw new InvalidRequestException("invalid_json", "Invalid JSON body: " + BadJson.describe(e));
        }
    }

    private Object readData(FunctionInvoker invoker, JsonNode data) {
        if (!invoker.hasInput() || data == null || data.isNull()) {
            return null;
        }
        try {
            return json.readerFor(json.constructType(invoker.getInputType())).readValue(data);
        } catch (java.io.IOException e) {
            throw new InvalidRequestException("invalid_json", "Invalid JSON in 'data': " + BadJson.describe(e));
        }
    }

    /** The function runs as Funqy runs it: in a request context, through its invoker. */
    private Object invoke(RoutingContext ctx, FunctionInvoker invoker, Object input) {
        ManagedContext requestContext = Arc.container().requestContext();
        requestContext.activate();
        try {
            // as Funqy does: the function's Access finds the authenticated caller through it
            Arc.container().instance(CurrentVertxRequest.class).get().setCurrent(ctx);
            RequestContextImpl context = new RequestContextImpl();
            Output output = new Output();
            invoker.invoke(
                    new FunqyServerRequest() {
                        @Override
                        public RequestContext context() {
                            return context;
                        }

                        @Override
                        public Object extractInput(Class type) {
                            return input;
                        }
                    },
                    output);
            return output.value == null ? null : output.value.await().indefinitely();
        } finally {
            requestContext.terminate();
        }
    }

    private static final class Output implements FunqyServerResponse {
        Uni<?> value;

        @Override
        public Uni<?> getOutput() {
            return value;
        }

        @Override
        public void setOutput(Uni<?> output) {
            value = output;
        }
    }
}
