package dev.engram.memory.longterm;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The outcome of a remember: the memory's id and whether an existing near-identical memory in the same
 * scope was updated ({@code deduplicated}) instead of a new one being added. A conversation given to
 * remember is queued instead: then {@code queued} is its entry in the promotion queue and {@code id}
 * is absent (the memory worker writes the memories later).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection
public record Remembered(String id, boolean deduplicated, String queued) {
    public Remembered(String id, boolean deduplicated) {
        this(id, deduplicated, null);
    }

    public static Remembered queued(String entryId) {
        return new Remembered(null, false, entryId);
    }
}
