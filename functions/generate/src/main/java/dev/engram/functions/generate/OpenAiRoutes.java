package dev.engram.functions.generate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.auth.Access;
import dev.engram.errors.InvalidRequestException;
import dev.engram.inference.Cancellation;
import dev.engram.inference.openai.ChatCompletionRequest;
import dev.engram.tasks.Requests;
import dev.engram.tasks.openai.ChatCall;
import dev.engram.tasks.openai.ChatCompletions;
import dev.engram.web.ErrorResponses;
import dev.engram.web.RouteOrder;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The OpenAI-compatible surface of the generate function, beside Funqy's {@code POST /generate}:
 * {@code POST /v1/chat/completions} (whole, or server-sent events with {@code stream: true}) and
 * {@code GET /v1/models}. Routes only: the mapping lives in {@link ChatCompletions}.
 */
@ApplicationScoped
public class OpenAiRoutes {
    private static final long BODY_LIMIT = 4L * 1024 * 1024;

    private final ChatCompletions chat;
    private final ObjectMapper json;
    private final Access access;
    private final ErrorResponses errors;

    public OpenAiRoutes(ChatCompletions chat, ObjectMapper json, Access access, ErrorResponses errors) {
        this.chat = chat;
        this.json = json;
        this.access = access;
        this.errors = errors;
    }

    void install(@Observes Router router) {
        router.get("/v1/models")
                .order(RouteOrder.OPENAI.value())
                .blockingHandler(
                        ctx -> answer(ctx, () -> {
                            access.admit(ctx, null, null);
                            return chat.models();
                        }),
                        false);
        router.post("/v1/chat/completions")
                .order(RouteOrder.OPENAI.value())
                .handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT))
                .blockingHandler(this::completions, false);
    }

    private void completions(RoutingContext ctx) {
        Cancellation cancellation = new Cancellation();
        // A client that hangs up ends the generation after the token in flight.
        ctx.response().closeHandler(closed -> cancellation.cancel());
        ChatCall call;
        try {
            var body = ctx.body() == null ? null : ctx.body().buffer();
            if (body == null || body.length() == 0) {
                throw new InvalidRequestException("missing_body", "A JSON request body is required");
            }
            ChatCompletionRequest request = Requests.body(json.readValue(body.getBytes(), ChatCompletionRequest.class));
            access.admit(
                    ctx,
                    request.maxCompletionTokens() != null ? request.maxCompletionTokens() : request.maxTokens(),
                    request.maxCompletionTokens() != null ? "max_completion_tokens" : "max_tokens");
            call = chat.prepare(request, cancellation);
        } catch (Exception e) {
            errors.openAi(ctx, e);
            return;
        }
        if (!call.stream()) {
            answer(ctx, () -> chat.complete(call));
            return;
        }
        HttpServerResponse response = ctx.response();
        try {
            chat.stream(call, chunk -> {
                if (!response.headWritten()) {
                    response.setChunked(true)
                            .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream")
                            .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
                }
                if (!response.closed()) {
                    response.write("data: " + write(chunk) + "\n\n");
                }
            });
            if (!response.closed()) {
                response.end("data: [DONE]\n\n");
            }
        } catch (Exception e) {
            if (!response.headWritten()) {
                errors.openAi(ctx, e);
            } else if (!response.closed()) {
                errors.openAiInStream(response, e);
            }
        }
    }

    @FunctionalInterface
    private interface Answer {
        Object get() throws Exception;
    }

    private void answer(RoutingContext ctx, Answer answer) {
        try {
            String body = write(answer.get());
            ctx.response()
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(body);
        } catch (Exception e) {
            errors.openAi(ctx, e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
