package dev.engram.inference.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** {@code stream_options}: whether a stream ends with a chunk carrying the usage. */
@RegisterForReflection
public record StreamOptions(@JsonProperty("include_usage") Boolean includeUsage) {}
