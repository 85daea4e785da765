package dev.engram.functions.memory;

import dev.engram.memory.longterm.RecallHit;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * What {@code recall} answers: the hits, best first (possibly none), the embedding model that scored
 * them (scores of different models are not comparable) and the {@code minScore} applied.
 */
@RegisterForReflection
public record RecallResponse(List<RecallHit> hits, String model, float minScore) {}
