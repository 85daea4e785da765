package dev.engram.inference.engine;

import dev.engram.errors.InvalidRequestException;
import dev.engram.inference.Cancellation;
import dev.engram.inference.ContinuationScores;
import dev.engram.inference.EngineStatus;
import dev.engram.inference.FinishReason;
import dev.engram.inference.GenerationRequest;
import dev.engram.inference.GenerationResult;
import dev.engram.inference.InferenceObserver;
import dev.engram.inference.LanguageModel;
import dev.engram.inference.Prompt;
import dev.engram.inference.TokenListener;
import dev.engram.inference.chat.ChatTemplate;
import dev.engram.inference.decoding.StopSequences;
import dev.engram.inference.decoding.TextDecoder;
import dev.engram.inference.decoding.TokenSampler;
import dev.engram.inference.gguf.GgufFile;
import dev.engram.inference.kernels.Lanes;
import dev.engram.inference.kernels.MatMul;
import dev.engram.inference.kernels.NativeKernels;
import dev.engram.inference.kernels.Team;
import dev.engram.inference.llama.KvPool;
import dev.engram.inference.llama.LlamaConfig;
import dev.engram.inference.llama.LlamaLoader;
import dev.engram.inference.llama.LlamaModel;
import dev.engram.inference.quant.RowFormat;
import dev.engram.inference.safetensors.SafetensorsModel;
import dev.engram.inference.structured.StructuredDecoding;
import dev.engram.inference.structured.TokenConstraint;
import dev.engram.inference.tokenizer.Tokenizer;
import dev.engram.inference.tokenizer.Tokenizers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Engram's own in-process engine for Llama-family models: Vector API kernels for F32, Q8_0 and Q4_0
 * weights, a forward pass over batches of sequences, and a scheduler that lets concurrent requests
 * share every step. The caller's thread decodes its own tokens to text and feeds its listener, so a
 * slow reader never slows the batch.
 */
public final class EngramEngine implements LanguageModel {
    /** How long a caller waits for its next token before it looks at its own cancellation again. */
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final String name;
    private final Tokenizer tokenizer;
    private final Optional<ChatTemplate> template;
    private final LlamaModel model;
    private final Team team;
    private final Scheduler scheduler;
    private final ContinuationScorer scorer;
    private final InferenceObserver observer;
    /** JSON output (response formats) over this model's vocabulary. */
    private final StructuredDecoding structured;

    EngramEngine(
            String name,
            Tokenizer tokenizer,
            Optional<ChatTemplate> template,
            LlamaModel model,
            Team team,
            KvPool pool,
            Scheduler.Limits limits,
            InferenceObserver observer) {
        this.name = name;
        this.tokenizer = tokenizer;
        this.template = template;
        this.model = model;
        this.team = team;
        this.scheduler = new Scheduler(model, pool, limits);
        this.scorer = new ContinuationScorer(model, pool);
        this.observer = observer;
        this.structured = new StructuredDecoding(tokenizer);
    }

    @Override
    public String name() {
        return name;
    }

    /** What the kernels run on, for logs and reports: weight format, threads, vector width, and the native kernels. */
    public String describe() {
        String format = model.weights().format();
        boolean f32 = format.equals("F32");
        String kernels = model.matMul()
                .nativeKernels()
                .filter(k -> !f32 || k.decodesF32())
                .map(k -> ", " + k.describe())
                .orElse(
                        f32
                                ? ""
                                : NativeKernels.unavailableReason()
                                        .map(reason -> ", no native kernels: " + reason)
                                        .orElse(""));
        return format + " weights, " + team.size() + " threads, " + Lanes.describe() + kernels;
    }

    public LlamaModel model() {
        return model;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public int contextLength() {
        return model.config().contextLength();
    }

    @Override
    public int[] tokenize(String text) {
        return tokenizer.encode(text);
    }

    @Override
    public boolean hasChatTemplate() {
        return template.isPresent();
    }

    @Override
    public String render(Prompt prompt) {
        return prompt.raw() || template.isEmpty()
                ? prompt.asCompletionText()
                : PromptTokens.render(template.get(), prompt, true).text();
    }

    /**
     * The ids the model is fed for {@code prompt}: a chat prompt through the template, its messages'
     * texts unable to forge control tokens; raw or template-less text as {@link #encodePrompt(String)}.
     */
    public int[] encodePrompt(Prompt prompt) {
        if (prompt.raw() || template.isEmpty()) {
            return encodePrompt(prompt.asCompletionText());
        }
        return PromptTokens.withBos(
                tokenizer, PromptTokens.render(template.get(), prompt, true).encode(tokenizer));
    }

    /** The ids the model is fed for a prompt text (with a chat template, its control tokens' spellings count). */
    public int[] encodePrompt(String text) {
        return PromptTokens.withBos(
                tokenizer,
                template.isPresent() ? PromptTokens.encodeRendered(tokenizer, text) : tokenizer.encode(text));
    }

    @Override
    public EngineStatus status() {
        return new EngineStatus("engram", scheduler.waiting(), scheduler.batchSize());
    }

    /** Sequences being generated together now. */
    int batchSize() {
        return scheduler.batchSize();
    }

    @Override
    public GenerationResult generate(GenerationRequest request, TokenListener listener) {
        long start = System.nanoTime();
        int[] prompt = encodePrompt(request.prompt());
        if (prompt.length >= contextLength()) {
            throw new InvalidRequestException(
                    "prompt_too_long",
                    "The prompt is " + prompt.length + " tokens; this model takes at most " + (contextLength() - 1)
                            + " prompt tokens (context " + contextLength()
                            + ", leaving room for at least one generated token)");
        }
        InferenceObserver.Generation observed = observer.begin(name);
        TokenConstraint constraint = request.format() == null ? null : structured.start(request.format());
        Sequence sequence = new Sequence(
                prompt,
                request.maxTokens(),
                new TokenSampler(request.sampling()),
                tokenizer.endTokens(),
                request.cancellation(),
                constraint);
        try {
            scheduler.submit(sequence);
        } catch (RuntimeException e) {
            observed.rejected("overloaded");
            throw e;
        }
        try {
            GenerationResult result = follow(sequence, request, listener, start, observed);
            observed.finished(result);
            return result;
        } catch (RuntimeException | Error e) {
            sequence.abandoned = true;
            if (sequence.firstTokenAt == 0 && e instanceof dev.engram.errors.UnavailableException unavailable) {
                observed.rejected(unavailable.code());
            } else {
                observed.failed(e);
            }
            throw e;
        }
    }

    /** Reads the sequence's tokens on the caller's thread: text, stop strings, the listener. */
    private GenerationResult follow(
            Sequence sequence,
            GenerationRequest request,
            TokenListener listener,
            long start,
            InferenceObserver.Generation observed) {
        StopSequences stops = new StopSequences(request.stop());
        TextDecoder decoder = new TextDecoder(tokenizer, sequence.prompt[sequence.prompt.length - 1]);
        int generated = 0;
        FinishReason reason;
        try {
            while (true) {
                TokenChannel.Event event = sequence.channel.take(POLL_NANOS);
                if (event == null) {
                    continue;
                }
                if (!event.isToken()) {
                    reason = event.finish();
                    break;
                }
                if (generated == 0) {
                    long waited = sequence.admittedAt - sequence.submittedAt;
                    if (waited > 1_000_000) {
                        observed.queued();
                    }
                    observed.admitted(Math.max(0, waited));
                    observed.prefilled();
                }
                generated++;
                listener.onText(stops.append(decoder.next(event.token())));
                if (stops.stopped()) {
                    sequence.abandoned = true;
                    reason = FinishReason.STOP;
                    break;
                }
                // Tokens the scheduler made before it saw a cancellation or deadline are not the answer.
                FinishReason interrupted = sequence.interrupted();
                if (interrupted != null) {
                    sequence.abandoned = true;
                    reason = interrupted;
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            sequence.abandoned = true;
            reason = FinishReason.CANCELLED;
        }
        if (!stops.stopped()) {
            listener.onText(stops.flush());
        }
        long end = System.nanoTime();
        long first = sequence.firstTokenAt;
        return new GenerationResult(
                stops.text(),
                reason,
                sequence.prompt.length,
                generated,
                generated == 0 || first == 0 ? end - start : first - start,
                end - start);
    }

    @Override
    public ContinuationScores scoreContinuations(Prompt prompt, List<String> continuations, Cancellation cancellation) {
        long start = System.nanoTime();
        int[] promptTokens;
        List<int[]> sequences;
        if (prompt.raw() || template.isEmpty()) {
            String text = prompt.asCompletionText();
            promptTokens = encodePrompt(text);
            sequences = continuations.stream().map(c -> encodePrompt(text + c)).toList();
        } else { // rendered once; each continuation is plain text after the reply's start
            PromptTokens rendered = PromptTokens.render(template.get(), prompt, true);
            promptTokens = PromptTokens.withBos(tokenizer, rendered.encode(tokenizer));
            sequences = continuations.stream()
                    .map(c -> PromptTokens.withBos(
                            tokenizer, rendered.followedBy(c).encode(tokenizer)))
                    .toList();
        }
        int longest = sequences.stream().mapToInt(t -> t.length).max().orElse(promptTokens.length);
        if (longest > contextLength()) {
            throw new InvalidRequestException(
                    "prompt_too_long",
                    "The classification prompt with its longest label is " + longest
                            + " tokens; this model takes at most " + contextLength());
        }
        long tokenized = System.nanoTime() - start;
        return scheduler.exclusive(() -> scorer.score(promptTokens, sequences, start, tokenized));
    }

    @Override
    public void close() {
        scheduler.close();
        team.close();
        model.close();
    }

    @Override
    public String toString() {
        return name + " (" + describe() + ")";
    }

    /** Engine settings; see InferenceConfig for their meaning. */
    public record Options(
            int threads,
            Optional<RowFormat> quantize,
            boolean nativeKernels,
            long kvMemory,
            int maxBatch,
            int stepTokens,
            int queueSize,
            Duration queueTimeout,
            InferenceObserver observer) {}

    /**
     * Loads a model: a GGUF file, a directory holding one GGUF file, or a Hugging Face directory
     * (config.json, safetensors, tokenizer.json).
     */
    public static EngramEngine load(Path location, Options options) throws IOException {
        Path gguf = ggufIn(location);
        Team team = new Team(options.threads());
        try {
            LlamaLoader.Loaded loaded;
            Tokenizer tokenizer;
            Optional<ChatTemplate> template;
            String name;
            if (gguf != null) {
                GgufFile file = GgufFile.open(gguf);
                try {
                    tokenizer = Tokenizers.fromGguf(file);
                    template = ChatTemplate.fromGguf(file);
                } catch (RuntimeException e) {
                    file.close();
                    throw e;
                }
                loaded = LlamaLoader.fromGguf(file, options.quantize());
                name = gguf.getFileName().toString().replaceFirst("\\.gguf$", "");
            } else {
                tokenizer = Tokenizers.fromHuggingFace(location);
                template = ChatTemplate.fromHuggingFace(location);
                loaded = LlamaLoader.fromHuggingFace(location, options.quantize());
                name = location.getFileName().toString();
            }
            LlamaModel model = new LlamaModel(
                    loaded.config(),
                    loaded.rotary(),
                    loaded.weights(),
                    new MatMul(team, options.nativeKernels() ? NativeKernels.best() : Optional.empty()));
            KvPool pool = new KvPool(loaded.config(), options.kvMemory());
            return new EngramEngine(
                    name,
                    tokenizer,
                    template,
                    model,
                    team,
                    pool,
                    new Scheduler.Limits(
                            options.maxBatch(), options.stepTokens(), options.queueSize(), options.queueTimeout()),
                    options.observer());
        } catch (IOException | RuntimeException e) {
            team.close();
            throw e;
        }
    }

    /**
     * Whether this engine runs the model at {@code location}: any GGUF file (its architecture is checked
     * at load), or a Hugging Face directory of a Llama-family model whose weights are F32, F16 or BF16
     * (Jlama's own pre-quantised formats are left to Jlama).
     */
    public static boolean runs(Path location) throws IOException {
        if (ggufIn(location) != null) {
            return true;
        }
        LlamaConfig config;
        try {
            config = LlamaConfig.fromHuggingFace(location);
        } catch (IllegalArgumentException e) {
            return false;
        }
        try (SafetensorsModel weights = SafetensorsModel.open(location)) {
            for (String name : weights.names()) {
                weights.tensor(name).rowFormat();
            }
            return config != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The GGUF file {@code location} is or holds, or null for a Hugging Face directory. */
    static Path ggufIn(Path location) throws IOException {
        if (Files.isRegularFile(location)) {
            return location;
        }
        if (Files.isRegularFile(location.resolve("config.json"))) {
            return null;
        }
        try (Stream<Path> files = Files.list(location)) {
            List<Path> ggufs = files.filter(f -> f.getFileName().toString().endsWith(".gguf"))
                    .toList();
            if (ggufs.size() != 1) {
                throw new IllegalArgumentException(location + " holds neither config.json nor exactly one .gguf file");
            }
            return ggufs.get(0);
        }
    }
}
