package dev.engram.inference.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.inference.Cancellation;
import dev.engram.inference.FinishReason;
import dev.engram.inference.GenerationRequest;
import dev.engram.inference.GenerationResult;
import dev.engram.inference.Prompt;
import dev.engram.inference.Sampling;
import dev.engram.inference.quant.RowFormat;
import dev.engram.testing.TestModels;
import dev.engram.testing.synthetic.SyntheticModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Continuous batching must not change anybody's answer: every request, run together with others of
 * other lengths, sampling settings, stop strings and cancellations, gives the same tokens as when it
 * runs alone. On the real stories260K model and on a synthetic byte-level model.
 */
class EngramEngineBatchingTest {

    /** One request of the mix, and what it does to itself while running. */
    record Job(String prompt, int maxTokens, Sampling sampling, List<String> stop, int cancelAfter) {
        GenerationRequest request(Cancellation cancellation) {
            return new GenerationRequest(Prompt.raw(prompt), sampling, maxTokens, stop, cancellation);
        }
    }

    static List<Job> mix() {
        Sampling seeded = new Sampling(0.9f, 0.95f, 40, 7L);
        Sampling other = new Sampling(1.2f, 1f, 0, 12345L);
        return List.of(
                new Job("Once upon a time", 120, Sampling.GREEDY, List.of(), 0),
                new Job("The dog", 7, Sampling.GREEDY, List.of(), 0),
                new Job("Lily wanted to", 60, seeded, List.of(), 0),
                new Job("", 90, other, List.of(), 0),
                new Job(
                        "Tom and his friend went to the park. They saw a big tree and",
                        40,
                        Sampling.GREEDY,
                        List.of("."),
                        0),
                new Job("One day, a little bird", 80, seeded, List.of(), 12),
                new Job("The sun was", 25, Sampling.GREEDY, List.of(), 0),
                new Job(
                        "Once upon a time, there was a cat named Tim. Tim liked to",
                        100,
                        other,
                        List.of("!", "\n"),
                        0));
    }

    /**
     * As stored (F32) and quantized to Q4_0 at load: with the native kernels, a quantized model's
     * decoded tokens share one pass over the weights with the prompt tokens of the same step.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = RowFormat.class,
            names = {"F32", "Q4_0"})
    void storiesAnswersAreTheSameAloneAndInABatch(RowFormat format) throws Exception {
        EngramEngine.Options options = EngramEngineReferenceTest.options();
        try (EngramEngine engine = EngramEngine.load(
                TestModels.stories260K(),
                new EngramEngine.Options(
                        options.threads(),
                        Optional.of(format),
                        options.nativeKernels(),
                        options.kvMemory(),
                        options.maxBatch(),
                        options.stepTokens(),
                        options.queueSize(),
                        options.queueTimeout(),
                        options.observer()))) {
            compare(engine, mix());
        }
    }

    @Test
    void syntheticAnswersAreTheSameAloneAndInABatch(@TempDir Path dir) throws Exception {
        Path model =
                SyntheticModel.write(Files.createDirectories(dir.resolve("tiny")), SyntheticModel.Shape.tiny(), 42L);
        try (EngramEngine engine = EngramEngine.load(model, EngramEngineReferenceTest.options())) {
            compare(engine, mix());
        }
    }

    private static void compare(EngramEngine engine, List<Job> jobs) throws Exception {
        List<GenerationResult> alone = new ArrayList<>();
        for (Job job : jobs) {
            alone.add(run(engine, job));
        }
        AtomicInteger widest = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<GenerationResult>> together = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(jobs.size())) {
            for (Job job : jobs) {
                together.add(pool.submit(() -> {
                    start.await();
                    return run(engine, job, () -> widest.accumulateAndGet(engine.batchSize(), Math::max));
                }));
            }
            start.countDown();
            for (int i = 0; i < jobs.size(); i++) {
                GenerationResult a = alone.get(i);
                GenerationResult b = together.get(i).get();
                assertThat(b.text()).as("job %d text", i).isEqualTo(a.text());
                assertThat(b.completionTokens()).as("job %d tokens", i).isEqualTo(a.completionTokens());
                assertThat(b.finishReason()).as("job %d finish", i).isEqualTo(a.finishReason());
            }
        }
        assertThat(widest.get()).as("sequences that shared a step").isGreaterThanOrEqualTo(3);
        assertThat(alone.get(5).finishReason()).isEqualTo(FinishReason.CANCELLED);
    }

    static GenerationResult run(EngramEngine engine, Job job) {
        return run(engine, job, () -> {});
    }

    /** Runs a job; a job with {@code cancelAfter} cancels itself once that many text pieces arrived. */
    static GenerationResult run(EngramEngine engine, Job job, Runnable onText) {
        Cancellation cancellation = new Cancellation();
        AtomicInteger pieces = new AtomicInteger();
        return engine.generate(job.request(cancellation), text -> {
            onText.run();
            if (job.cancelAfter() > 0 && pieces.incrementAndGet() == job.cancelAfter()) {
                cancellation.cancel();
            }
        });
    }
}
