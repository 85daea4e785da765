package dev.engram.functions.generate;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The body of {@code memory-promote}: at most {@code max} entries this call (default {@code drain-max}); may be empty. */
@RegisterForReflection
public record PromoteRequest(Integer max) {}
