package dev.engram.functions.generate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.testing.ModelTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Parallel requests are serialised on the model: each gets exactly its own answer. */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
class GenerateConcurrencyTest {

    @Test
    void eightParallelRequestsEachGetTheirSoloAnswer() throws Exception {
        List<String> prompts = List.of(
                "Once upon a time",
                "The dog",
                "Lily wanted to",
                "Tom had a",
                "The sun was",
                "One day, a little",
                "The cat",
                "Sam and Mia");
        List<String> alone = new ArrayList<>();
        for (String prompt : prompts) {
            alone.add(GenerateSamplingTest.generate("prompt", prompt, "maxTokens", 48)
                    .getString("text"));
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(prompts.size())) {
            for (int round = 0; round < 2; round++) {
                List<Future<String>> together = new ArrayList<>();
                for (String prompt : prompts) {
                    together.add(pool.submit(() -> GenerateSamplingTest.generate("prompt", prompt, "maxTokens", 48)
                            .getString("text")));
                }
                for (int i = 0; i < prompts.size(); i++) {
                    assertThat(together.get(i).get())
                            .as("answer to '%s'", prompts.get(i))
                            .isEqualTo(alone.get(i));
                }
            }
        }
    }
}
