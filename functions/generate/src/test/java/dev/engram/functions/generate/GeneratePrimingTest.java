package dev.engram.functions.generate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.observability.Meters;
import dev.engram.startup.Priming;
import dev.engram.startup.SnapStartPriming;
import dev.engram.testing.ModelTestResource;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.crac.Core;
import org.junit.jupiter.api.Test;

/**
 * The priming a Lambda SnapStart snapshot and the AOT training start rely on: it runs the model and the
 * long-term memory embedder once, and the hook Lambda calls before the snapshot runs it. (Lambda itself
 * cannot run here, and a plain JVM's CRaC context refuses to be driven by hand.)
 */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
class GeneratePrimingTest {
    @Inject
    Priming priming;

    @Inject
    SnapStartPriming snapStart;

    @Inject
    MeterRegistry registry;

    @Test
    void primingRunsTheModelAndTheEmbedder() {
        Priming.Primed primed = priming.prime();
        assertThat(primed.model()).isEqualTo("stories260K");
        assertThat(primed.tokens()).isPositive();
        assertThat(primed.embedder()).isEqualTo("e5-small-v2-q");
    }

    @Test
    void theCheckpointBeforeASnapshotPrimesTheFunction() throws Exception {
        long before = generatedOutside();
        snapStart.beforeCheckpoint(Core.getGlobalContext());
        assertThat(generatedOutside()).isEqualTo(before + 1);
    }

    /** Generations made outside any function call (operation "none"): priming's. */
    private long generatedOutside() {
        DistributionSummary output = registry.find(Meters.TOKEN_USAGE)
                .tag(Meters.OPERATION, "none")
                .tag(Meters.TOKEN_TYPE, "output")
                .summary();
        return output == null ? 0 : output.count();
    }
}
