package dev.engram.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.errors.BadJson;
import dev.engram.errors.EngramException;
import dev.engram.errors.ErrorBody;
import dev.engram.errors.InvalidRequestException;
import dev.engram.inference.Cancellation;
import dev.engram.inference.openai.ChatCompletionRequest;
import dev.engram.inference.openai.OpenAiError;
import dev.engram.tasks.embeddings.EmbeddingsRequest;
import dev.engram.tasks.embeddings.OpenAiEmbeddings;
import dev.engram.tasks.openai.ChatCompletions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Lines in OpenAI's Batch input format, {@code {custom_id, method: "POST", url, body}} with
 * {@code url} {@code /v1/chat/completions} or {@code /v1/embeddings}: run in-process like any batch
 * line (the chat on the function's model, the embeddings on long-term memory's embedder), answered
 * with {@link OpenAiResultLine}s, so an OpenAI batch file moves over unchanged.
 */
@ApplicationScoped
public class OpenAiBatchLines {
    static final String CHAT = "/v1/chat/completions";
    static final String EMBEDDINGS = "/v1/embeddings";
    private static final Set<String> FIELDS = Set.of("custom_id", "method", "url", "body");

    private final ObjectMapper json;
    private final Instance<ChatCompletions> chat;
    private final Instance<OpenAiEmbeddings> embeddings;

    public OpenAiBatchLines(ObjectMapper json, Instance<ChatCompletions> chat, Instance<OpenAiEmbeddings> embeddings) {
        this.json = json;
        this.chat = chat;
        this.embeddings = embeddings;
    }

    /** Whether a parsed line is in OpenAI's format (it names {@code custom_id}). */
    static boolean isOpenAi(JsonNode line) {
        return line != null && line.isObject() && line.has("custom_id");
    }

    /** The line's answer; a line that is no valid request gets only an {@code error}. */
    OpenAiResultLine run(String customId, JsonNode line) {
        String id = lineId();
        String requestId =
                HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        JsonNode body;
        String url;
        try {
            for (Iterator<String> names = line.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!FIELDS.contains(name)) {
                    throw new InvalidRequestException(
                            "invalid_line",
                            "unknown field '" + name + "' (known fields: body, custom_id, method, url)");
                }
            }
            if (customId == null) {
                throw new InvalidRequestException(
                        "invalid_custom_id", "'custom_id' must be a string of 1 to 256 characters");
            }
            if (!"POST".equals(line.path("method").asText(null))) {
                throw new InvalidRequestException("invalid_method", "'method' must be POST");
            }
            url = line.path("url").asText("");
            if (!url.equals(CHAT) && !url.equals(EMBEDDINGS)) {
                throw new InvalidRequestException(
                        "invalid_url", "'url' must be " + CHAT + " or " + EMBEDDINGS + ", got '" + url + "'");
            }
            body = line.get("body");
            if (body == null || !body.isObject()) {
                throw new InvalidRequestException(
                        "invalid_line", "'body' must be a JSON object (the endpoint's request)");
            }
        } catch (EngramException e) {
            return refused(customId, e.body());
        }
        try {
            Object answer = url.equals(CHAT)
                    ? BatchLines.retrying(() -> complete(body))
                    : BatchLines.retrying(() -> embed(body));
            return new OpenAiResultLine(id, customId, new OpenAiResultLine.Response(200, requestId, answer), null);
        } catch (EngramException e) {
            return new OpenAiResultLine(
                    id, customId, new OpenAiResultLine.Response(e.status(), requestId, OpenAiError.of(e)), null);
        }
    }

    /** A line that is no request: only the error. */
    static OpenAiResultLine refused(String customId, ErrorBody error) {
        return new OpenAiResultLine(
                lineId(), customId, null, new OpenAiResultLine.Error(error.error(), error.message()));
    }

    private static String lineId() {
        return "batch_req_"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }

    private Object complete(JsonNode body) {
        ChatCompletionRequest request = read(body, ChatCompletionRequest.class);
        if (Boolean.TRUE.equals(request.stream())) {
            throw new InvalidRequestException("unsupported", "'stream' is not supported in a batch");
        }
        ChatCompletions completions = chat.get();
        return completions.complete(completions.prepare(request, new Cancellation()));
    }

    private Object embed(JsonNode body) {
        return embeddings.get().embed(read(body, EmbeddingsRequest.class));
    }

    private <T> T read(JsonNode body, Class<T> type) {
        try {
            return json.treeToValue(body, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new InvalidRequestException("invalid_json", "Invalid JSON body: " + BadJson.describe(e));
        }
    }
}
