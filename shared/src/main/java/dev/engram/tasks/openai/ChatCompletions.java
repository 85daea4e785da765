package dev.engram.tasks.openai;

import static dev.engram.tasks.Requests.range;

import com.fasterxml.jackson.databind.JsonNode;
import dev.engram.errors.EngramException;
import dev.engram.errors.InvalidRequestException;
import dev.engram.inference.Cancellation;
import dev.engram.inference.FinishReason;
import dev.engram.inference.GenerationRequest;
import dev.engram.inference.GenerationResult;
import dev.engram.inference.LanguageModel;
import dev.engram.inference.Prompt;
import dev.engram.inference.Sampling;
import dev.engram.inference.models.InferenceConfig;
import dev.engram.inference.models.Models;
import dev.engram.inference.openai.ChatCompletion;
import dev.engram.inference.openai.ChatCompletionChunk;
import dev.engram.inference.openai.ChatCompletionChunk.ChunkChoice;
import dev.engram.inference.openai.ChatCompletionChunk.Delta;
import dev.engram.inference.openai.ChatCompletionRequest;
import dev.engram.inference.openai.ChatMessage;
import dev.engram.inference.openai.ModelList;
import dev.engram.inference.openai.OpenAiUsage;
import dev.engram.inference.openai.ResponseFormatSpec;
import dev.engram.inference.structured.ResponseFormat;
import dev.engram.observability.Calls;
import dev.engram.tasks.Requests;
import dev.engram.tasks.generate.GenerateTask;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The OpenAI chat-completions surface of a generate function: checks an OpenAI request, maps its
 * messages to a {@link Prompt} (system messages joined into the system part, earlier user/assistant
 * messages as history, the last message — which must be the user's — as the new text), runs the model
 * and answers in OpenAI's shapes, whole or as chunks. Sampling follows OpenAI's defaults: temperature
 * 1 unless given; 0 is greedy.
 */
@ApplicationScoped
public class ChatCompletions {
    /** The call's deadline, span and request metrics (field-injected: the constructor stays the task's own). */
    @Inject
    Calls calls;

    private final Models models;
    private final InferenceConfig config;

    public ChatCompletions(Models models, InferenceConfig config) {
        this.models = models;
        this.config = config;
    }

    /** {@code GET /v1/models}: the one model this function serves. */
    public ModelList models() {
        LanguageModel model = models.get();
        return new ModelList(
                "list", List.of(new ModelList.Model(model.name(), "model", 0L, "engram", model.contextLength())));
    }

    /** Checks {@code request} and prepares its generation; every problem is a 4xx naming the field. */
    public ChatCall prepare(ChatCompletionRequest request, Cancellation cancellation) {
        Requests.body(request);
        Prompt prompt = prompt(Requests.required(request.messages(), "messages"));
        if (request.n() != null && request.n() != 1) {
            throw new InvalidRequestException(
                    "unsupported", "'n' must be 1 (one choice per request), got " + request.n());
        }
        zeroOnly(request.presencePenalty(), "presence_penalty");
        zeroOnly(request.frequencyPenalty(), "frequency_penalty");
        if (request.maxTokens() != null
                && request.maxCompletionTokens() != null
                && !request.maxTokens().equals(request.maxCompletionTokens())) {
            throw new InvalidRequestException(
                    "out_of_range", "'max_tokens' and 'max_completion_tokens' differ; give one");
        }
        LanguageModel model = models.get();
        if (request.model() != null && !request.model().equals(model.name())) {
            throw new EngramException(
                    404,
                    "model_not_found",
                    "The model '" + request.model() + "' is not served here; this function serves '" + model.name()
                            + "' (see GET /v1/models)");
        }
        Integer asked = request.maxCompletionTokens() != null ? request.maxCompletionTokens() : request.maxTokens();
        String field = request.maxCompletionTokens() != null ? "max_completion_tokens" : "max_tokens";
        int maxTokens = asked == null ? Math.min(config.defaultMaxTokens(), model.contextLength()) : asked;
        range(maxTokens, field, 1, model.contextLength());
        List<String> stop = GenerateTask.stopStrings(request.stop());
        Sampling sampling = sampling(request);
        boolean stream = Boolean.TRUE.equals(request.stream());
        if (request.streamOptions() != null && !stream) {
            throw new InvalidRequestException(
                    "invalid_request", "'stream_options' is only allowed with 'stream': true");
        }
        // The usage chunk is sent unless the client turns it off (OpenAI sends it only on request; clients that
        // expect choices in every chunk can say include_usage: false).
        boolean includeUsage = request.streamOptions() == null
                || !Boolean.FALSE.equals(request.streamOptions().includeUsage());
        ResponseFormat format = format(request.responseFormat());
        return new ChatCall(
                model,
                new GenerationRequest(prompt, sampling, maxTokens, stop, cancellation, format),
                stream,
                includeUsage);
    }

    /** OpenAI's {@code response_format}: text (null), any JSON object, or a JSON Schema. */
    static ResponseFormat format(ResponseFormatSpec spec) {
        if (spec == null) {
            return null;
        }
        String type = Requests.required(spec.type(), "response_format.type");
        return switch (type) {
            case "text" -> null;
            case "json_object" -> ResponseFormat.jsonObject();
            case "json_schema" -> {
                ResponseFormatSpec.JsonSchemaSpec schema =
                        Requests.required(spec.jsonSchema(), "response_format.json_schema");
                if (schema.name() != null && !schema.name().matches("[A-Za-z0-9_-]{1,64}")) {
                    throw new InvalidRequestException(
                            "invalid_request",
                            "'response_format.json_schema.name' must be 1 to 64 " + "characters of a-z A-Z 0-9 _ -");
                }
                JsonNode node = schema.schema();
                if (node != null && !node.isObject() && !node.isBoolean()) {
                    throw new InvalidRequestException(
                            "invalid_schema", "'response_format.json_schema.schema' must be a JSON Schema object");
                }
                yield ResponseFormat.jsonSchema(
                        schema.name(), node == null ? com.fasterxml.jackson.databind.node.BooleanNode.TRUE : node);
            }
            default ->
                throw new InvalidRequestException(
                        "invalid_request",
                        "'response_format.type' must be text, json_object or " + "json_schema, got '" + type + "'");
        };
    }

    /** Runs a non-streaming call. */
    public ChatCompletion complete(ChatCall call) {
        return calls.run("chat", call.generation().cancellation(), cancellation -> completeCall(call));
    }

    private ChatCompletion completeCall(ChatCall call) {
        GenerationResult result = call.model().generate(call.generation(), text -> {});
        ResponseFormat format = call.generation().format();
        return new ChatCompletion(
                id(),
                "chat.completion",
                now(),
                call.model().name(),
                List.of(new ChatCompletion.Choice(
                        0,
                        ChatMessage.of("assistant", result.text()),
                        finishReason(result),
                        null,
                        format == null ? null : format.complete(result.text()))),
                OpenAiUsage.of(result.promptTokens(), result.completionTokens()));
    }

    /**
     * Runs a streaming call: a first chunk with the role (sent with the first text, so that a failure
     * before any text can still be an ordinary error response), one chunk per piece of text, a chunk
     * with the finish reason, then the usage chunk. {@code [DONE]} is the transport's business.
     */
    public GenerationResult stream(ChatCall call, ChatSink sink) {
        return calls.run("chat", call.generation().cancellation(), cancellation -> streamCall(call, sink));
    }

    private GenerationResult streamCall(ChatCall call, ChatSink sink) {
        String id = id();
        long created = now();
        String name = call.model().name();
        boolean[] started = {false};
        GenerationResult result = call.model().generate(call.generation(), text -> {
            if (text.isEmpty()) {
                return;
            }
            if (!started[0]) {
                started[0] = true;
                sink.send(chunk(id, created, name, new Delta("assistant", ""), null));
            }
            sink.send(chunk(id, created, name, new Delta(null, text), null));
        });
        if (!started[0]) {
            sink.send(chunk(id, created, name, new Delta("assistant", ""), null));
        }
        sink.send(chunk(id, created, name, new Delta(null, null), finishReason(result)));
        if (call.includeUsage()) {
            sink.send(new ChatCompletionChunk(
                    id,
                    "chat.completion.chunk",
                    created,
                    name,
                    List.of(),
                    OpenAiUsage.of(result.promptTokens(), result.completionTokens())));
        }
        return result;
    }

    private static ChatCompletionChunk chunk(String id, long created, String model, Delta delta, String finish) {
        return new ChatCompletionChunk(
                id, "chat.completion.chunk", created, model, List.of(new ChunkChoice(0, delta, finish)), null);
    }

    /**
     * OpenAI's values: the deadline ({@code engram.request.timeout}) also cuts the output short, and
     * OpenAI has no "timeout", so it maps to {@code length} as {@code maxTokens} does.
     */
    static String finishReason(GenerationResult result) {
        return result.finishReason() == FinishReason.LENGTH || result.finishReason() == FinishReason.TIMEOUT
                ? "length"
                : "stop";
    }

    static Prompt prompt(List<ChatMessage> messages) {
        if (messages.isEmpty()) {
            throw new InvalidRequestException("missing_field", "'messages' must hold at least one message");
        }
        StringBuilder system = new StringBuilder();
        List<Prompt.Message> history = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            ChatMessage message = messages.get(i);
            String where = "messages[" + i + "]";
            if (message == null) {
                throw new InvalidRequestException("invalid_message", "'" + where + "' is null");
            }
            String role = Requests.required(message.role(), where + ".role");
            String text = Requests.text(text(message.content(), where), where + ".content");
            boolean last = i == messages.size() - 1;
            switch (role.toLowerCase(Locale.ROOT)) {
                case "system", "developer" -> {
                    if (last) {
                        throw new InvalidRequestException(
                                "invalid_message", "the last message must be the user's, got role '" + role + "'");
                    }
                    system.append(system.isEmpty() ? "" : "\n\n").append(text);
                }
                case "user" -> {
                    if (last) {
                        return new Prompt(system.isEmpty() ? null : system.toString(), history, text);
                    }
                    history.add(new Prompt.Message(Prompt.Role.USER, text));
                }
                case "assistant" -> {
                    if (last) {
                        throw new InvalidRequestException(
                                "invalid_message", "the last message must be the user's, got role 'assistant'");
                    }
                    history.add(new Prompt.Message(Prompt.Role.ASSISTANT, text));
                }
                default ->
                    throw new InvalidRequestException(
                            "invalid_message",
                            "'" + where + ".role' must be system, developer, user or assistant, got '" + role + "'");
            }
        }
        throw new IllegalStateException("unreachable");
    }

    /** A string, or an array of {@code {"type": "text", "text": ...}} parts joined. */
    static String text(JsonNode content, String where) {
        if (content == null || content.isNull()) {
            throw new InvalidRequestException("missing_field", "'" + where + ".content' is required");
        }
        if (content.isTextual()) {
            return content.asText();
        }
        if (content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                if (!"text".equals(part.path("type").asText())
                        || !part.path("text").isTextual()) {
                    throw new InvalidRequestException(
                            "invalid_message",
                            "'" + where + ".content' parts must be {\"type\": \"text\", \"text\": str}; "
                                    + "this model takes text only");
                }
                text.append(part.get("text").asText());
            }
            return text.toString();
        }
        throw new InvalidRequestException(
                "invalid_message", "'" + where + ".content' must be a string or an array of text parts");
    }

    static Sampling sampling(ChatCompletionRequest request) {
        range(request.temperature(), "temperature", 0, 2);
        if (request.topP() != null && !(request.topP() > 0 && request.topP() <= 1)) {
            throw new InvalidRequestException("out_of_range", "'top_p' must be in (0, 1], got " + request.topP());
        }
        range(request.topK(), "top_k", 0, 100_000);
        float temperature = request.temperature() != null ? request.temperature() : 1f;
        long seed = request.seed() != null
                ? request.seed()
                : ThreadLocalRandom.current().nextLong();
        return new Sampling(
                temperature,
                request.topP() == null ? 1f : request.topP(),
                request.topK() == null ? 0 : request.topK(),
                seed);
    }

    private static void zeroOnly(Float value, String field) {
        if (value != null && value != 0f) {
            throw new InvalidRequestException("unsupported", "'" + field + "' is not supported (only 0), got " + value);
        }
    }

    private static String id() {
        return "chatcmpl-"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }
}
