package dev.engram.memory.embedding;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How the in-process embedding model runs ({@link MiniLmEmbedder}). */
@ConfigMapping(prefix = "engram.embedding")
public interface EmbedderConfig {

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
