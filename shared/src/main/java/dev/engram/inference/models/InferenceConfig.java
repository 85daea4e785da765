package dev.engram.inference.models;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** How generations are run: {@code engram.inference.*}. */
@ConfigMapping(prefix = "engram.inference")
public interface InferenceConfig {

    /**
     * Where generations run: {@code local} (in this process: Engram's own engine for Llama-family
     * models — Llama 2/3, Mistral, Qwen2, as safetensors or GGUF — and Jlama for the other families and
     * for Jlama's own pre-quantised models), {@code jlama} (in this process, always Jlama) or
     * {@code remote} (an OpenAI-compatible server).
     */
    @WithDefault("local")
    Backend backend();

    enum Backend {
        LOCAL,
        JLAMA,
        REMOTE
    }

    /** Requests allowed to wait for a place in the batch (or, with Jlama, for their turn); more get 503. */
    @WithDefault("16")
    int queueSize();

    /** The longest a request waits for a place before it gets 503. */
    @WithDefault("30s")
    Duration queueTimeout();

    /** Threads for the matrix kernels; default: every core the JVM sees (Jlama: half of them, at least 2). */
    Optional<Integer> threads();

    /**
     * The format the own engine keeps weights in: {@code F32}, {@code Q8_0} or {@code Q4_0}, converted
     * once at load. Unset: weights stay as stored when the kernels take them (F32, Q8_0, Q4_0) and 16-bit
     * weights (F16, BF16) become Q8_0.
     */
    Optional<WeightFormat> quantize();

    /**
     * Whether the own engine multiplies Q8_0 and Q4_0 weights with its native integer kernels: each
     * step's inputs are quantized to 8 bits per block of 32 (as llama.cpp does) and multiplied with
     * integer dot-product instructions, for decoding and prompts alike. They run on Linux x86-64 with
     * AVX2; with AVX-512 VNNI (and a JVM using 512-bit vectors), Q4_0 matrices, and Q8_0 ones read from
     * the model file, are rearranged at load into sixteen-row panels, Q4_0 multiplied on AMX tiles for a
     * dozen tokens or more where the processor has them; F32 weights being decoded go through the library's float rows (the same bits as the
     * Vector API's). Elsewhere, or when off, the Vector API kernels serve with float inputs.
     */
    @WithDefault("true")
    boolean nativeKernels();

    enum WeightFormat {
        F32,
        Q8_0,
        Q4_0
    }

    /**
     * Sequences the own engine computes together in one step (continuous batching). More raise the
     * total throughput until the cores are busy with arithmetic; each sequence also holds its
     * key/value memory. Around 4-8 suits 2 cores, 16-32 suits 16 cores.
     */
    @WithDefault("8")
    int maxBatch();

    /**
     * Tokens one step computes at most: every running sequence's next token plus chunks of new
     * prompts. Smaller keeps the running answers flowing while a long prompt is read; larger reads
     * prompts faster.
     */
    @WithDefault("256")
    int stepTokens();

    /**
     * The memory all key/value caches of the own engine may use together. A request is admitted only
     * when its whole prompt and answer fit; otherwise it waits (and gets 503 after the queue timeout).
     * Default: a quarter of the maximum heap.
     */
    Optional<MemorySize> kvMemory();

    /**
     * A working directory for Jlama (where its own generate loop would memory-map KV-cache pages).
     * The engines keep every KV cache in memory, so nothing is written there and nothing can be left
     * on disk, even after a SIGKILL; unset, Jlama gets one fixed directory shared by every load
     * ({@code <java.io.tmpdir>/engram-jlama}); when set, it is created if missing and emptied after
     * every generation.
     */
    Optional<Path> workDir();

    /**
     * Tokens the model generates once right after it loads, before it is ready: a new instance's first
     * request then finds the inference code compiled rather than paying for it (0: no warm-up). It runs
     * beside the server's own start, so on a quick start it costs the caller nothing.
     */
    @WithDefault("4")
    int warmUpTokens();

    /** {@code maxTokens} when the request gives none. */
    @WithDefault("256")
    int defaultMaxTokens();
}
