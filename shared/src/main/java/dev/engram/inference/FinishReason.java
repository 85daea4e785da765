package dev.engram.inference;

import com.fasterxml.jackson.annotation.JsonValue;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** Why a generation ended. */
@RegisterForReflection
public enum FinishReason {
    /** An end-of-sequence token or a stop string. */
    STOP,
    /** {@code maxTokens} reached, or the context is full. */
    LENGTH,
    /** The caller cancelled. */
    CANCELLED;

    @JsonValue
    public String json() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
