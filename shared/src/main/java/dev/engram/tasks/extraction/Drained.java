package dev.engram.tasks.extraction;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What one drain of the promotion queue did: entries whose memories were stored ({@code promoted}),
 * entries found done already ({@code again}: claimed back from a worker thought dead), failed attempts
 * left for a later try ({@code retried}) and entries moved to the dead letters ({@code deadLettered}).
 */
@RegisterForReflection
public record Drained(int promoted, int again, int retried, int deadLettered) {
    int processed() {
        return promoted + again + retried + deadLettered;
    }
}
