package dev.engram.inference.remote;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.engram.errors.UnavailableException;
import dev.engram.inference.EngineReadiness;
import dev.engram.inference.EngineStatus;
import dev.engram.inference.FinishReason;
import dev.engram.inference.GenerationRequest;
import dev.engram.inference.GenerationResult;
import dev.engram.inference.InferenceObserver;
import dev.engram.inference.LanguageModel;
import dev.engram.inference.Prompt;
import dev.engram.inference.Sampling;
import dev.engram.inference.TokenListener;
import dev.engram.inference.openai.ChatCompletionRequest;
import dev.engram.inference.openai.ChatMessage;
import dev.engram.inference.openai.CompletionRequest;
import dev.engram.inference.openai.ResponseFormatSpec;
import dev.engram.inference.openai.StreamOptions;
import dev.engram.inference.structured.ResponseFormat;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The remote engine: the model runs on an OpenAI-compatible server (vLLM, TGI, llama.cpp server,
 * Ollama, or another Engram generate function) and is called through {@code /v1/chat/completions}
 * with {@code stream: true}, so text reaches the listener as the server produces it and the time to
 * the first token is the real one. The server applies its own chat template to the messages; a
 * {@linkplain Prompt#raw(String) raw} prompt goes to {@code /v1/completions} as its text. The server also
 * enforces its context, and its 400 comes back as a 400.
 */
public final class RemoteEngine implements LanguageModel {
    private static final Logger LOG = Logger.getLogger(RemoteEngine.class);
    static final int DEFAULT_CONTEXT = 4096;

    private final RemoteConfig config;
    private final OpenAiClient client;
    private final TokenCounter tokens;
    private final CircuitBreaker breaker;
    private final InferenceObserver observer;
    /** What the server's /v1/models said (id, max_model_len); null until it first answered. */
    private volatile Served served;

    private record Served(String model, int contextLength) {}

    private RemoteEngine(RemoteConfig config, URI base, TokenCounter tokens, InferenceObserver observer) {
        this.config = config;
        this.client = new OpenAiClient(base, config);
        this.tokens = tokens;
        this.breaker = new CircuitBreaker(config.breakerFailureThreshold(), config.breakerOpenDuration(), base);
        this.observer = observer;
    }

    /** Sets the engine up without calling the server: a server that is down only delays readiness. */
    public static RemoteEngine create(RemoteConfig config) {
        return create(config, InferenceObserver.NONE);
    }

    public static RemoteEngine create(RemoteConfig config, InferenceObserver observer) {
        String url = config.baseUrl()
                .orElseThrow(() -> new IllegalStateException(
                        "engram.inference.remote.base-url is required when engram.inference.backend=remote"));
        URI base;
        try {
            base = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("engram.inference.remote.base-url is not a URL: " + url, e);
        }
        if (!"http".equals(base.getScheme()) && !"https".equals(base.getScheme())) {
            throw new IllegalStateException("engram.inference.remote.base-url must be http(s)://...: " + url);
        }
        TokenCounter tokens = config.tokenizer().map(TokenCounter::load).orElseGet(TokenCounter::estimate);
        LOG.infof(
                "Remote engine: %s, model %s, tokens by %s",
                base, config.model().orElse("(first listed)"), tokens.describe());
        return new RemoteEngine(config, base, tokens, observer);
    }

    /** The server batches and queues for itself: nothing waits here. */
    @Override
    public EngineStatus status() {
        return new EngineStatus("remote", 0, 0);
    }

    /** Ready while the server answers; shows the server and the circuit breaker. */
    @Override
    public EngineReadiness readiness() {
        boolean answers = serverAnswers();
        return new EngineReadiness(
                answers,
                Map.of(
                        "backend",
                        "remote",
                        "server",
                        client.base().toString(),
                        "serverAnswers",
                        answers,
                        "breaker",
                        breakerState()));
    }

    /** The circuit breaker's state: closed, open or half_open (for readiness output and tests). */
    public String breakerState() {
        return breaker.state().name().toLowerCase(Locale.ROOT);
    }

    /** Whether the server's {@code /v1/models} answers now (one try, bounded by the connect timeout): readiness. */
    public boolean serverAnswers() {
        try {
            remember(client.models(config.connectTimeout().plusSeconds(1)));
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.debugf("Remote server %s not ready: %s", client.base(), e.getMessage());
            return false;
        }
    }

    private Served served() {
        Served known = served;
        if (known == null) {
            known = remember(client.modelsWithRetries(null));
        }
        return known;
    }

    private Served remember(JsonNode models) {
        JsonNode first = models.path("data").path(0);
        String id = config.model().orElseGet(() -> first.path("id").asText(null));
        if (id == null) {
            throw new UnavailableException(
                    "remote_unavailable",
                    "The inference server at " + client.base() + " lists no model; set engram.inference.remote.model",
                    Duration.ofSeconds(30));
        }
        JsonNode entry = first;
        for (JsonNode model : models.path("data")) {
            if (id.equals(model.path("id").asText())) {
                entry = model;
            }
        }
        int context = entry.path("max_model_len").asInt(DEFAULT_CONTEXT);
        Served now = new Served(id, context > 0 ? context : DEFAULT_CONTEXT);
        served = now;
        return now;
    }

    @Override
    public String name() {
        return config.model().orElseGet(() -> served().model());
    }

    @Override
    public int contextLength() {
        return config.contextLength().orElseGet(() -> served().contextLength());
    }

    @Override
    public int[] tokenize(String text) {
        return tokens.tokenize(text);
    }

    /**
     * A raw prompt's text is exactly what the server is sent. A chat prompt is sent as messages and
     * the server renders them with a template this engine does not know: the text returned is an
     * estimate, the messages' texts joined as a raw completion prompt (see {@link Prompt}), which
     * leaves out the template's role markers (a few tokens per message). With
     * {@code engram.inference.remote.chat-template=false} (a raw completion model behind an Engram
     * function) it is what that server renders.
     */
    @Override
    public String render(Prompt prompt) {
        return prompt.asCompletionText();
    }

    @Override
    public boolean hasChatTemplate() {
        return config.chatTemplate();
    }

    /**
     * Streams one completion, behind the circuit breaker: while it is open the call fails at once
     * without touching the network. The server being unreachable or a broken stream count as
     * failures; any answer from the server (a 400 included) as a success.
     */
    @Override
    public GenerationResult generate(GenerationRequest request, TokenListener listener) {
        Served known = served;
        InferenceObserver.Generation observed = observer.begin(
                config.model().orElse(known == null ? client.base().toString() : known.model()));
        try {
            breaker.allow();
        } catch (UnavailableException e) {
            observed.rejected(e.code());
            throw e;
        }
        observed.admitted(0);
        try {
            GenerationResult result = stream(request, listener, observed);
            if (result.finishReason() == FinishReason.CANCELLED && result.completionTokens() == 0) {
                breaker.released();
            } else {
                breaker.succeeded();
            }
            observed.finished(result);
            return result;
        } catch (UnavailableException e) {
            if ("remote_unavailable".equals(e.code())) {
                breaker.failed();
            } else {
                breaker.released();
            }
            observed.failed(e);
            throw e;
        } catch (RuntimeException | Error e) {
            breaker.succeeded();
            observed.failed(e);
            throw e;
        }
    }

    private GenerationResult stream(
            GenerationRequest request, TokenListener listener, InferenceObserver.Generation observed) {
        long start = System.nanoTime();
        byte[] body = body(request);
        StringBuilder text = new StringBuilder();
        int chunks = 0;
        long firstToken = 0;
        String finish = null;
        JsonNode usage = null;
        boolean raw = request.prompt().raw();
        try (SseStream stream =
                client.stream(raw ? "/completions" : "/chat/completions", body, request.cancellation())) {
            String data;
            while ((data = stream.next()) != null) {
                JsonNode event = read(data);
                if (event.has("error")) {
                    throw new UnavailableException(
                            "remote_unavailable",
                            "The inference server at " + client.base() + " failed mid-stream: "
                                    + event.path("error")
                                            .path("message")
                                            .asText(event.path("error").toString()),
                            Duration.ofSeconds(1));
                }
                if (event.hasNonNull("usage")) {
                    usage = event.get("usage");
                }
                JsonNode choice = event.path("choices").path(0);
                String piece = (raw ? choice.path("text") : choice.path("delta").path("content")).asText("");
                if (!piece.isEmpty()) {
                    if (firstToken == 0) {
                        firstToken = System.nanoTime();
                        observed.prefilled();
                    }
                    chunks++;
                    text.append(piece);
                    listener.onText(piece);
                }
                if (choice.hasNonNull("finish_reason")) {
                    finish = choice.get("finish_reason").asText();
                }
                if (request.cancellation().isCancelled()
                        || request.cancellation().expired()) {
                    break; // closing the stream closes the connection: the server stops too
                }
            }
        }
        long end = System.nanoTime();
        FinishReason reason = finish != null
                ? ("length".equals(finish) ? FinishReason.LENGTH : FinishReason.STOP)
                : request.cancellation().isCancelled()
                        ? FinishReason.CANCELLED
                        : request.cancellation().expired() ? FinishReason.TIMEOUT : FinishReason.STOP;
        // Without a usage chunk: our own count of the prompt, and one token per content chunk (servers send one per
        // token).
        int promptTokens =
                usage != null ? usage.path("prompt_tokens").asInt() : tokens.tokenize(render(request.prompt())).length;
        int completionTokens = usage != null ? usage.path("completion_tokens").asInt() : chunks;
        return new GenerationResult(
                text.toString(),
                reason,
                promptTokens,
                completionTokens,
                (firstToken == 0 ? end : firstToken) - start,
                end - start);
    }

    /** A chat completion of the prompt's messages, or a completion of a raw prompt's text. */
    private byte[] body(GenerationRequest request) {
        Sampling sampling = request.sampling();
        boolean greedy = sampling.greedy();
        Float temperature = greedy ? 0f : sampling.temperature();
        Float topP = greedy || sampling.topP() >= 1f ? null : sampling.topP();
        Integer topK = greedy || sampling.topK() <= 0 ? null : sampling.topK();
        Long seed = greedy ? null : sampling.seed();
        List<String> stop = request.stop().isEmpty() ? null : request.stop();
        Object body = request.prompt().raw()
                ? new CompletionRequest(
                        name(),
                        request.prompt().user(),
                        temperature,
                        topP,
                        topK,
                        request.maxTokens(),
                        seed,
                        stop,
                        true,
                        new StreamOptions(true),
                        responseFormat(request.format()))
                : new ChatCompletionRequest(
                        name(),
                        messages(request.prompt()),
                        temperature,
                        topP,
                        topK,
                        request.maxTokens(),
                        null,
                        seed,
                        stop,
                        true,
                        new StreamOptions(true),
                        null,
                        null,
                        null,
                        null,
                        responseFormat(request.format()));
        try {
            return client.json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The request's JSON format as OpenAI's {@code response_format}: the server enforces it. */
    static ResponseFormatSpec responseFormat(ResponseFormat format) {
        if (format == null) {
            return null;
        }
        if (format.schema() == null) {
            return new ResponseFormatSpec("json_object", null);
        }
        return new ResponseFormatSpec(
                "json_schema",
                new ResponseFormatSpec.JsonSchemaSpec(
                        format.name() == null ? "response" : format.name(), null, format.schema(), true));
    }

    /** A chat prompt's parts as chat messages. */
    static List<ChatMessage> messages(Prompt prompt) {
        List<ChatMessage> messages = new ArrayList<>();
        if (prompt.system() != null && !prompt.system().isBlank()) {
            messages.add(ChatMessage.of("system", prompt.system()));
        }
        for (Prompt.Message message : prompt.history()) {
            messages.add(ChatMessage.of(message.role().name().toLowerCase(Locale.ROOT), message.text()));
        }
        messages.add(ChatMessage.of("user", prompt.user()));
        return messages;
    }

    private JsonNode read(String data) {
        try {
            return client.json.readTree(data);
        } catch (IOException e) {
            throw new UnavailableException(
                    "remote_unavailable",
                    "The inference server at " + client.base() + " sent an event that is not JSON: "
                            + (data.length() > 200 ? data.substring(0, 200) : data),
                    Duration.ofSeconds(1),
                    e);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
