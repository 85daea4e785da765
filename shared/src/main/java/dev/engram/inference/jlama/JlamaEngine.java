package dev.engram.inference.jlama;

import com.github.tjake.jlama.model.AbstractModel;
import com.github.tjake.jlama.safetensors.prompt.PromptContext;
import com.github.tjake.jlama.safetensors.prompt.PromptSupport;
import com.github.tjake.jlama.tensor.AbstractTensor;
import com.github.tjake.jlama.tensor.KvBufferCache;
import dev.engram.errors.InvalidRequestException;
import dev.engram.errors.UnavailableException;
import dev.engram.inference.Cancellation;
import dev.engram.inference.ContinuationScores;
import dev.engram.inference.EngineStatus;
import dev.engram.inference.FinishReason;
import dev.engram.inference.GenerationGate;
import dev.engram.inference.GenerationRequest;
import dev.engram.inference.GenerationResult;
import dev.engram.inference.InferenceObserver;
import dev.engram.inference.LanguageModel;
import dev.engram.inference.Prompt;
import dev.engram.inference.TokenListener;
import dev.engram.inference.decoding.StopSequences;
import dev.engram.inference.decoding.TokenSampler;
import dev.engram.inference.structured.StructuredDecoding;
import dev.engram.inference.structured.TokenConstraint;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The in-process engine: Jlama's forward pass and logits under Engram's own decoding loop, which adds
 * what Jlama's {@code generate} lacks (top-k, top-p, seeds, stop strings, a context guard) and keeps
 * the KV cache in memory, one buffer per generation, released when it ends.
 */
public final class JlamaEngine implements LanguageModel {
    private static final Logger LOG = Logger.getLogger(JlamaEngine.class);

    private final AbstractModel model;
    private final String name;
    private final GenerationGate gate;
    private final KvBufferCache kvCache;
    /** Empty: Jlama has no working directory at all and every KV page lives in memory. */
    private final Optional<Path> workDir;

    private final int usableContext;
    private final int vocab;
    private final Set<Integer> endTokens;
    private final ContinuationScorer scorer;
    private final WordwiseEncoder encoder;
    /** What Jlama puts before every prompt: BOS for most models, nothing for some. */
    private final int[] promptPrefix;

    private final InferenceObserver observer;
    /** JSON output (response formats) over this model's vocabulary. */
    private final StructuredDecoding structured;

    /** Engine settings; see {@link dev.engram.inference.models.InferenceConfig} for their meaning. */
    public record Options(
            int queueSize,
            Duration queueTimeout,
            Optional<Integer> threads,
            Optional<Path> workDir,
            InferenceObserver observer) {
        public Options(int queueSize, Duration queueTimeout, Optional<Integer> threads, Optional<Path> workDir) {
            this(queueSize, queueTimeout, threads, workDir, InferenceObserver.NONE);
        }

        public static Options defaults() {
            return new Options(16, Duration.ofSeconds(30), Optional.empty(), Optional.empty());
        }
    }

    private JlamaEngine(AbstractModel model, String name, Options options) {
        this.model = model;
        this.name = name;
        this.gate = new GenerationGate(options.queueSize(), options.queueTimeout());
        this.kvCache = new KvBufferCache(model);
        this.workDir = options.workDir();
        var config = model.getConfig();
        // Jlama 0.8.4 fails with an index error when it writes the last ~2 x kv-heads positions of the
        // context, so those positions are never handed out.
        this.usableContext = config.contextLength - Math.max(8, 2 * config.numberOfKeyValueHeads);
        this.vocab = config.vocabularySize;
        this.endTokens = Set.copyOf(config.eosTokens);
        this.scorer = new ContinuationScorer(model, kvCache);
        this.encoder = new WordwiseEncoder(model.getTokenizer());
        this.promptPrefix = model.encodePrompt(PromptContext.of(""));
        this.observer = options.observer();
        this.structured = new StructuredDecoding(new JlamaTokenizer(model, encoder, promptPrefix));
    }

    /** Loads the model in {@code modelDir} (F32 working memory; I8 activations for quantized weights). */
    public static JlamaEngine load(Path modelDir, Options options) {
        return new JlamaEngine(
                JlamaLoading.load(modelDir, options), modelDir.getFileName().toString(), options);
    }

    /** Which kernels Jlama picked: native SIMD (jlama-native) or the Panama Vector API, with the vector width. */
    public static String backend() {
        return JlamaLoading.backend();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int contextLength() {
        return usableContext;
    }

    @Override
    public int[] tokenize(String text) {
        return Arrays.stream(encoder.encode(text)).mapToInt(Math::toIntExact).toArray();
    }

    @Override
    public boolean hasChatTemplate() {
        return model.promptSupport().isPresent();
    }

    @Override
    public String render(Prompt prompt) {
        Optional<PromptSupport> template = model.promptSupport();
        if (prompt.raw() || template.isEmpty()) {
            return prompt.asCompletionText();
        }
        PromptSupport.Builder chat = template.get().builder();
        if (prompt.system() != null && !prompt.system().isBlank()) {
            chat.addSystemMessage(prompt.system());
        }
        for (Prompt.Message message : prompt.history()) {
            if (message.role() == Prompt.Role.USER) {
                chat.addUserMessage(message.text());
            } else {
                chat.addAssistantMessage(message.text());
            }
        }
        return chat.addUserMessage(prompt.user()).build().getPrompt();
    }

    /**
     * The prompt's token ids as the model is fed them: Jlama's {@code encodePrompt} (its prefix, a BOS
     * the text already starts with not doubled) over the linear {@link WordwiseEncoder}.
     */
    public int[] encodePrompt(String prompt) {
        int[] text = tokenize(prompt);
        int skip = promptPrefix.length == 1 && text.length > 0 && text[0] == promptPrefix[0] ? 1 : 0;
        int[] ids = Arrays.copyOf(promptPrefix, promptPrefix.length + text.length - skip);
        System.arraycopy(text, skip, ids, promptPrefix.length, text.length - skip);
        return ids;
    }

    @Override
    public GenerationResult generate(GenerationRequest request, TokenListener listener) {
        long start = System.nanoTime();
        int[] prompt = encodePrompt(render(request.prompt()));
        if (prompt.length >= usableContext) {
            throw new InvalidRequestException(
                    "prompt_too_long",
                    "The prompt is " + prompt.length
                            + " tokens; this model takes at most " + (usableContext - 1) + " prompt tokens (context "
                            + model.getConfig().contextLength + ", leaving room for at least one generated token)");
        }
        InferenceObserver.Generation observed = observer.begin(name);
        Cancellation cancellation = request.cancellation();
        try (GenerationGate.Turn turn = gate.enter(cancellation, observed)) {
            if (cancellation.expired()) {
                // Its deadline passed before it reached the model (an earlier step of the same request took it all).
                observed.rejected("deadline_exceeded");
                throw deadlineExceeded();
            }
            try {
                GenerationResult result = decode(request, listener, prompt, start, observed);
                observed.finished(result);
                return result;
            } catch (RuntimeException | Error e) {
                observed.failed(e);
                throw e;
            }
        } finally {
            JlamaLoading.sweep(workDir);
        }
    }

    static UnavailableException deadlineExceeded() {
        return new UnavailableException(
                "deadline_exceeded",
                "The request's deadline (engram.request.timeout) passed before "
                        + "this generation could start. Retry later or with a smaller task.",
                Duration.ofSeconds(1));
    }

    private GenerationResult decode(
            GenerationRequest request,
            TokenListener listener,
            int[] prompt,
            long start,
            InferenceObserver.Generation observed) {
        TokenSampler sampler = new TokenSampler(request.sampling());
        StopSequences stops = new StopSequences(request.stop());
        TokenDecoder decoder = new TokenDecoder(model.getTokenizer().getModel(), model.getConfig().bosToken)
                .startAfter(prompt[prompt.length - 1]);
        float[] logits = new float[vocab];
        TokenConstraint constraint = request.format() == null ? null : structured.start(request.format());
        try (KvBufferCache.KvBuffer kv = kvCache.getEphemeralKvBuffer();
                AbstractTensor logitsTensor = model.makeDenseTensor(vocab)) {
            AbstractTensor hidden = model.batchForward(prompt, 0, kv);
            int next = pick(hidden.slice(hidden.shape().first() - 1), sampler, logitsTensor, logits, constraint);
            hidden.close();
            long firstToken = System.nanoTime();
            observed.prefilled();

            int generated = 0;
            int position = prompt.length;
            FinishReason reason;
            while (true) {
                if (next < 0 || endTokens.contains(next)) {
                    reason = FinishReason.STOP;
                    break;
                }
                generated++;
                if (constraint != null) {
                    constraint.accept(next);
                }
                listener.onText(stops.append(decoder.next(next)));
                if (stops.stopped() || constraint != null && constraint.finished()) {
                    reason = FinishReason.STOP;
                    break;
                }
                if (generated >= request.maxTokens() || position >= usableContext) {
                    reason = FinishReason.LENGTH;
                    break;
                }
                if (request.cancellation().isCancelled()) {
                    reason = FinishReason.CANCELLED;
                    break;
                }
                if (request.cancellation().expired()) {
                    reason = FinishReason.TIMEOUT;
                    break;
                }
                AbstractTensor out = model.forward(next, position++, kv, Optional.empty());
                next = pick(out, sampler, logitsTensor, logits, constraint);
                out.close();
            }
            if (!stops.stopped()) {
                listener.onText(stops.flush());
            }
            long end = System.nanoTime();
            return new GenerationResult(
                    stops.text(),
                    reason,
                    prompt.length,
                    generated,
                    generated == 0 ? end - start : firstToken - start,
                    end - start);
        }
    }

    /** Scores under the generation gate: it runs the same non-thread-safe forward pass. */
    @Override
    public ContinuationScores scoreContinuations(Prompt prompt, List<String> continuations, Cancellation cancellation) {
        long start = System.nanoTime();
        String text = render(prompt);
        int[] promptTokens = encodePrompt(text);
        List<int[]> sequences = continuations.stream()
                .map(c -> withContinuation(text, promptTokens, c))
                .toList();
        int longest = sequences.stream().mapToInt(t -> t.length).max().orElse(promptTokens.length);
        if (longest > usableContext) {
            throw new InvalidRequestException(
                    "prompt_too_long",
                    "The classification prompt with its longest label is "
                            + longest + " tokens; this model takes at most " + usableContext + " (context "
                            + model.getConfig().contextLength + ")");
        }
        long tokenized = System.nanoTime();
        try (GenerationGate.Turn turn = gate.enter(cancellation, InferenceObserver.Generation.NONE)) {
            if (cancellation.expired()) {
                throw deadlineExceeded();
            }
            return scorer.score(promptTokens, sequences, start, tokenized - start, System.nanoTime() - tokenized);
        } finally {
            JlamaLoading.sweep(workDir);
        }
    }

    /**
     * The tokens of {@code prompt + continuation} as the model would read the whole text. Tokenising
     * the whole prompt again for every label would cost O(labels x prompt), so the continuation is
     * tokenised after the prompt's last line only (tokenizers do not merge across a newline); when it
     * still merges into that line, the whole text is tokenised.
     */
    private int[] withContinuation(String prompt, int[] promptTokens, String continuation) {
        int lineStart = prompt.lastIndexOf('\n') + 1;
        String tail = prompt.substring(
                lineStart == prompt.length()
                        ? Math.max(0, prompt.length() - 16)
                        : Math.max(lineStart, prompt.length() - 64));
        int[] tailTokens = tokenize(tail);
        int[] extended = tokenize(tail + continuation);
        if (!Arrays.equals(tailTokens, 0, tailTokens.length, extended, 0, Math.min(tailTokens.length, extended.length))
                || extended.length <= tailTokens.length) {
            return encodePrompt(prompt + continuation);
        }
        int[] sequence = Arrays.copyOf(promptTokens, promptTokens.length + extended.length - tailTokens.length);
        System.arraycopy(
                extended, tailTokens.length, sequence, promptTokens.length, extended.length - tailTokens.length);
        return sequence;
    }

    /**
     * Jlama's {@code sample} at temperature 0 returns the argmax and leaves the raw logits in the tensor.
     * With a constraint, tokens it does not allow get a logit of minus infinity before sampling; -1 when
     * it allows none (a complete document in a vocabulary without end tokens).
     */
    private int pick(
            AbstractTensor hidden,
            TokenSampler sampler,
            AbstractTensor logitsTensor,
            float[] logits,
            TokenConstraint constraint) {
        int argmax = model.sample(hidden, 0f, 0f, logitsTensor);
        BitSet allowed = null;
        if (constraint != null) {
            allowed = new BitSet(vocab);
            constraint.allowed(allowed);
            if (allowed.isEmpty()) {
                return -1;
            }
        }
        if (sampler.greedy() && (allowed == null || allowed.get(argmax))) {
            return argmax;
        }
        java.lang.foreign.MemorySegment.copy(
                logitsTensor.getMemorySegment(), ValueLayout.JAVA_FLOAT_UNALIGNED, 0, logits, 0, vocab);
        if (allowed != null) {
            TokenConstraint.mask(logits, vocab, allowed);
        }
        return sampler.next(logits, 0, vocab);
    }

    @Override
    public EngineStatus status() {
        return new EngineStatus("jlama", gate.waiting(), gate.busy() ? 1 : 0);
    }

    /** Requests waiting for the model now (queue depth). */
    public int waiting() {
        return gate.waiting();
    }

    /** Whether a generation or a scoring holds the model now. */
    public boolean busy() {
        return gate.busy();
    }

    /** The configured working directory, if any (for operators and leak tests). */
    public Optional<Path> workDir() {
        return workDir;
    }

    @Override
    public void close() {
        model.close();
        JlamaLoading.sweep(workDir);
    }
}
