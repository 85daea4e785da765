package dev.engram.functions.memory;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.auth.Access;
import dev.engram.errors.InvalidRequestException;
import dev.engram.tasks.embeddings.EmbeddingsRequest;
import dev.engram.tasks.embeddings.OpenAiEmbeddings;
import dev.engram.web.ErrorResponses;
import dev.engram.web.RouteOrder;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * {@code POST /v1/embeddings}, OpenAI's embeddings endpoint, beside Funqy's memory endpoints: the
 * caller's key and rate limit as everywhere, errors in OpenAI's body.
 */
@ApplicationScoped
public class EmbeddingsRoute {
    private static final long BODY_LIMIT = 4L * 1024 * 1024;

    private final OpenAiEmbeddings embeddings;
    private final ObjectMapper json;
    private final Access access;
    private final ErrorResponses errors;

    public EmbeddingsRoute(OpenAiEmbeddings embeddings, ObjectMapper json, Access access, ErrorResponses errors) {
        this.embeddings = embeddings;
        this.json = json;
        this.access = access;
        this.errors = errors;
    }

    void install(@Observes Router router) {
        router.post("/v1/embeddings")
                .order(RouteOrder.OPENAI.value())
                .handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT))
                .blockingHandler(this::embed, false);
    }

    private void embed(RoutingContext ctx) {
        try {
            var body = ctx.body() == null ? null : ctx.body().buffer();
            if (body == null || body.length() == 0) {
                throw new InvalidRequestException("missing_body", "A JSON request body is required");
            }
            EmbeddingsRequest request = json.readValue(body.getBytes(), EmbeddingsRequest.class);
            access.admit(ctx, null, null);
            String answer = json.writeValueAsString(embeddings.embed(request));
            ctx.response()
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(answer);
        } catch (Exception e) {
            errors.openAi(ctx, e);
        }
    }
}
