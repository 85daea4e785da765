package dev.engram.functions.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.testing.WireTypes;
import io.quarkus.funqy.Funq;
import org.junit.jupiter.api.Test;

/** What a native image of the memory function would need (checked in JVM mode: no GraalVM here). */
class MemoryReflectionTest {
    @Test
    void everyRecordOfTheFiveFunctionsIsRegisteredForReflection() {
        var roots =
                new java.util.ArrayList<>(java.util.List.of(WireTypes.signatures(MemoryFunctions.class, Funq.class)));
        // /v1/embeddings is a route, not a Funqy function: its records are read and written by the application's mapper
        roots.add(dev.engram.tasks.embeddings.EmbeddingsRequest.class);
        roots.add(dev.engram.tasks.embeddings.EmbeddingList.class);
        var all = roots.toArray(java.lang.reflect.Type[]::new);
        assertThat(WireTypes.reachable(all))
                .contains(
                        RememberRequest.class,
                        RecallResponse.class,
                        SessionView.class,
                        dev.engram.tasks.embeddings.EmbeddingList.Embedding.class);
        assertThat(WireTypes.unregistered(all)).isEmpty();
    }
}
