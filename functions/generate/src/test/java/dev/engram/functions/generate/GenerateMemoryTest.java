package dev.engram.functions.generate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.memory.longterm.LongTermMemory;
import dev.engram.memory.longterm.NewMemory;
import dev.engram.memory.longterm.Remembered;
import dev.engram.tenant.Tenant;
import dev.engram.testing.ModelTestResource;
import dev.engram.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** generate with useMemory: recalled long-term memories go into the prompt and are named in the answer. */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
@QuarkusTestResource(RedisTestResource.class)
class GenerateMemoryTest {
    @Inject
    LongTermMemory memory;

    @BeforeEach
    void empty() {
        memory.forgetAll(Tenant.DEFAULT.id());
    }

    @Test
    void aRememberedFactIsInThePromptAndReported() {
        Remembered fact = memory.remember(Tenant.DEFAULT.id(), NewMemory.of("Lily has a red ball named Bob."));
        memory.remember(Tenant.DEFAULT.id(), NewMemory.of("The quarterly invoice is due on Friday."));

        JsonPath answer = GenerateSamplingTest.generate(
                "prompt", "Lily played with her red ball", "useMemory", true, "maxTokens", 4, "echo", true);
        assertThat(answer.getList("memoriesUsed", String.class)).contains(fact.id());
        assertThat(answer.getList("memoriesUsed", String.class)).first().isEqualTo(fact.id());
        String prompt = answer.getString("prompt");
        assertThat(prompt).contains("Lily has a red ball named Bob.");
        assertThat(prompt).endsWith("Lily played with her red ball");
    }

    @Test
    void withoutUseMemoryNothingIsRecalled() {
        memory.remember(Tenant.DEFAULT.id(), NewMemory.of("Lily has a red ball named Bob."));
        JsonPath answer =
                GenerateSamplingTest.generate("prompt", "Lily played with her red ball", "maxTokens", 4, "echo", true);
        assertThat(answer.getString("memoriesUsed")).isNull();
        assertThat(answer.getString("prompt")).isEqualTo("Lily played with her red ball");
        JsonPath off = GenerateSamplingTest.generate(
                "prompt", "Lily played with her red ball", "useMemory", false, "maxTokens", 4);
        assertThat(off.getString("memoriesUsed")).isNull();
    }

    @Test
    void useMemoryWithNothingRememberedUsesNoMemories() {
        JsonPath answer = GenerateSamplingTest.generate(
                "prompt", "Once upon a time", "useMemory", true, "maxTokens", 4, "echo", true);
        assertThat(answer.getList("memoriesUsed")).isEmpty();
        assertThat(answer.getString("prompt")).isEqualTo("Once upon a time");
    }
}
