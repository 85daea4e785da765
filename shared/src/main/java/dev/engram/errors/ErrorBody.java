package dev.engram.errors;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The JSON body of every error response. */
@RegisterForReflection
public record ErrorBody(String error, String message) {}
