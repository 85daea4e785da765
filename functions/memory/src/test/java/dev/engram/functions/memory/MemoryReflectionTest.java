package dev.engram.functions.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.testing.WireTypes;
import io.quarkus.funqy.Funq;
import org.junit.jupiter.api.Test;

/** What a native image of the memory function would need (checked in JVM mode: no GraalVM here). */
class MemoryReflectionTest {
    @Test
    void everyRecordOfTheFiveFunctionsIsRegisteredForReflection() {
        var roots = WireTypes.signatures(MemoryFunctions.class, Funq.class);
        assertThat(WireTypes.reachable(roots)).contains(RememberRequest.class, RecallResponse.class, SessionView.class);
        assertThat(WireTypes.unregistered(roots)).isEmpty();
    }
}
