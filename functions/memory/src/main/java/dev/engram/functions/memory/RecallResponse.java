package dev.engram.functions.memory;

import dev.engram.memory.longterm.RecallHit;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/** What {@code recall} answers: the hits, best first (possibly none). */
@RegisterForReflection
public record RecallResponse(List<RecallHit> hits) {}
