package dev.engram.functions.memory;

import dev.engram.memory.longterm.RecallHit;
import java.util.List;

/** What {@code recall} answers: the hits, best first (possibly none). */
public record RecallResponse(List<RecallHit> hits) {}
