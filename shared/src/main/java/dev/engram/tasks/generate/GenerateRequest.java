package dev.engram.tasks.generate;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * {@code POST /generate}. Only {@code prompt} is required. Greedy decoding unless {@code temperature}
 * is above 0, or a sampling option ({@code topP}, {@code topK}, {@code seed}) is given without a
 * temperature (then 1.0).
 */
@RegisterForReflection
public record GenerateRequest(
        String prompt,
        String system,
        String sessionId,
        Integer maxTokens,
        Float temperature,
        Float topP,
        Integer topK,
        Long seed,
        List<String> stop,
        Boolean useMemory) {

    public static GenerateRequest of(String prompt) {
        return new GenerateRequest(prompt, null, null, null, null, null, null, null, null, null);
    }
}
