package dev.engram.memory.longterm;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One step of re-embedding a tenant's long-term memories ({@link Reembedder}).
 *
 * @param model       the model the memories are (being) re-embedded with: this function's
 * @param from        the model they come from; absent when nothing was to be done
 * @param reembedded  memories re-embedded by this step
 * @param remaining   slots still to go (an upper bound: freed slots count until reached)
 * @param done        every memory of the tenant is of {@code model}; recall works again
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection
public record Reembedded(String tenant, String model, String from, int reembedded, long remaining, boolean done) {}
