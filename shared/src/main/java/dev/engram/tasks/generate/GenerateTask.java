package dev.engram.tasks.generate;

import static dev.engram.tasks.Requests.range;
import static dev.engram.tasks.Requests.required;
import static dev.engram.tasks.Requests.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.engram.errors.InvalidRequestException;
import dev.engram.inference.Cancellation;
import dev.engram.inference.GenerationRequest;
import dev.engram.inference.GenerationResult;
import dev.engram.inference.LanguageModel;
import dev.engram.inference.Prompt;
import dev.engram.inference.Sampling;
import dev.engram.inference.TokenListener;
import dev.engram.inference.models.InferenceConfig;
import dev.engram.inference.models.Models;
import dev.engram.inference.structured.ResponseFormat;
import dev.engram.memory.session.Session;
import dev.engram.observability.Calls;
import dev.engram.tasks.Requests;
import dev.engram.tasks.Timings;
import dev.engram.tasks.Usage;
import dev.engram.tasks.conversation.Conversations;
import dev.engram.tasks.conversation.MemoryReport;
import dev.engram.tasks.extraction.SessionStrategies;
import dev.engram.tasks.recall.MemoryPrompts;
import dev.engram.tasks.recall.RecalledMemories;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free text generation: checks the request, builds the prompt (with the session's working memory when
 * a {@code sessionId} is given, and recalled long-term memories with {@code useMemory: true}), runs
 * the model, records the exchange, shapes the answer.
 */
@ApplicationScoped
public class GenerateTask {
    /** The call's deadline, span and request metrics (field-injected: the constructor stays the task's own). */
    @Inject
    Calls calls;

    static final int MAX_STOP_STRINGS = 8;
    static final int MAX_STOP_CHARS = 64;

    private final Models models;
    private final InferenceConfig config;
    private final Conversations conversations;
    private final MemoryPrompts memoryPrompts;
    private final SessionStrategies strategies;

    public GenerateTask(
            Models models,
            InferenceConfig config,
            Conversations conversations,
            MemoryPrompts memoryPrompts,
            SessionStrategies strategies) {
        this.strategies = strategies;
        this.models = models;
        this.config = config;
        this.conversations = conversations;
        this.memoryPrompts = memoryPrompts;
    }

    public GenerateResponse run(String tenant, GenerateRequest request) {
        return run(tenant, request, TokenListener.NONE);
    }

    public GenerateResponse run(String tenant, GenerateRequest request, TokenListener listener) {
        return calls.run("generate", cancellation -> call(tenant, request, listener, cancellation));
    }

    private GenerateResponse call(
            String tenant, GenerateRequest request, TokenListener listener, Cancellation cancellation) {
        Requests.body(request);
        String prompt = text(required(request.prompt(), "prompt"), "prompt");
        text(request.system(), "system");
        strategies.check(request.promotion(), request.sessionId());
        // Validate and read the session before the model is touched: a bad id or a Redis outage costs nothing.
        Session session = request.sessionId() == null ? null : conversations.open(tenant, request.sessionId());
        strategies.choose(tenant, request.sessionId(), request.promotion());
        LanguageModel model = models.get();
        int maxTokens = request.maxTokens() == null
                ? Math.min(config.defaultMaxTokens(), model.contextLength())
                : request.maxTokens();
        range(maxTokens, "maxTokens", 1, model.contextLength());
        List<String> stop = stopStrings(request.stop());
        Sampling sampling = sampling(request);
        ResponseFormat format = format(request.json());

        RecalledMemories recalled = Boolean.TRUE.equals(request.useMemory())
                ? memoryPrompts.recall(tenant, request.system(), prompt, model)
                : null;
        String system = recalled == null ? request.system() : recalled.system();
        Prompt built =
                session == null ? Prompt.of(system, prompt) : conversations.prompt(session, system, prompt, model);
        GenerationResult result =
                model.generate(new GenerationRequest(built, sampling, maxTokens, stop, cancellation, format), listener);
        MemoryReport memory = session == null
                ? null
                : conversations.record(session, prompt, result.text(), result.completionTokens(), model, cancellation);
        return new GenerateResponse(
                result.text(),
                result.finishReason(),
                model.name(),
                new Usage(result.promptTokens(), result.completionTokens()),
                Timings.of(result),
                memory,
                Boolean.TRUE.equals(request.echo()) ? model.render(built) : null,
                recalled == null ? null : recalled.ids(),
                format == null ? null : format.complete(result.text()));
    }

    /** {@code json}: true for any JSON object, a schema (an object) for a document valid against it. */
    static ResponseFormat format(JsonNode json) {
        if (json == null || json.isNull() || json.isBoolean() && !json.booleanValue()) {
            return null;
        }
        if (json.isBoolean()) {
            return ResponseFormat.jsonObject();
        }
        if (!json.isObject()) {
            throw new InvalidRequestException(
                    "invalid_json_format", "'json' must be true, false or a JSON Schema (an object)");
        }
        return ResponseFormat.jsonSchema(null, json);
    }

    static Sampling sampling(GenerateRequest request) {
        range(request.temperature(), "temperature", 0, 2);
        if (request.topP() != null && !(request.topP() > 0 && request.topP() <= 1)) {
            throw new InvalidRequestException("out_of_range", "'topP' must be in (0, 1], got " + request.topP());
        }
        range(request.topK(), "topK", 0, 100_000);
        boolean samplingAsked = request.topP() != null || request.topK() != null || request.seed() != null;
        float temperature = request.temperature() != null ? request.temperature() : samplingAsked ? 1f : 0f;
        long seed = request.seed() != null
                ? request.seed()
                : ThreadLocalRandom.current().nextLong();
        return new Sampling(
                temperature,
                request.topP() == null ? 1f : request.topP(),
                request.topK() == null ? 0 : request.topK(),
                seed);
    }

    /** Checks a stop list (shared with the OpenAI surface, whose field has the same name). */
    public static List<String> stopStrings(List<String> stop) {
        if (stop == null) {
            return List.of();
        }
        if (stop.size() > MAX_STOP_STRINGS) {
            throw new InvalidRequestException(
                    "out_of_range", "'stop' takes at most " + MAX_STOP_STRINGS + " strings, got " + stop.size());
        }
        for (String s : stop) {
            if (s == null || s.isEmpty() || s.length() > MAX_STOP_CHARS) {
                throw new InvalidRequestException(
                        "invalid_stop", "each 'stop' string must have 1 to " + MAX_STOP_CHARS + " characters");
            }
        }
        return stop;
    }
}
