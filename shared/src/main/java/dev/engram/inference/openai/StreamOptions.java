package dev.engram.inference.openai;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code stream_options}: whether a stream ends with a chunk carrying the usage. */
public record StreamOptions(@JsonProperty("include_usage") Boolean includeUsage) {}
