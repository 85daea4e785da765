package dev.engram.startup;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The function's start: {@code engram.startup.*}. */
@ConfigMapping(prefix = "engram.startup")
public interface StartupConfig {

    /**
     * A training start for the JDK AOT cache: the function primes itself (the model and the embedder run
     * once) and exits, and the JVM started with {@code -XX:AOTCacheOutput} writes the cache. {@code -Paot}
     * and the container image run it; never set it on a serving instance.
     */
    @WithDefault("false")
    boolean trainingRun();
}
