package dev.engram.inference.models;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

/** Which model the function serves: {@code engram.model.*}. */
@ConfigMapping(prefix = "engram.model")
public interface ModelConfig {

    /**
     * A local model: a GGUF file, a directory holding one, or a Hugging Face directory (config.json,
     * safetensors, tokenizer.json). Wins over {@link #id()}. Neither set: the tiny stories260K model
     * the project carries.
     */
    Optional<Path> path();

    /** A Hugging Face model id ({@code owner/name}), downloaded once into {@link #cacheDir()}. */
    Optional<String> id();

    /** Where downloaded models are kept. */
    @WithDefault("${user.home}/.cache/engram/models")
    Path cacheDir();

    /** How long to wait for Hugging Face to answer before giving up on a download. */
    @WithDefault("10s")
    java.time.Duration downloadConnectTimeout();
}
