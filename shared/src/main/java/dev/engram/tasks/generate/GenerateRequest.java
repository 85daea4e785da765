package dev.engram.tasks.generate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.engram.tasks.extraction.PromotionChoice;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * {@code POST /generate}. Only {@code prompt} is required. Greedy decoding unless {@code temperature}
 * is above 0, or a sampling option ({@code topP}, {@code topK}, {@code seed}) is given without a
 * temperature (then 1.0). {@code json}: {@code true} for any JSON object, a JSON Schema (an object) for a
 * document valid against it, {@code false} or absent for free text. {@code echo}: {@code true} returns the
 * exact prompt text the model read (with the session's turns and recalled memories), as OpenAI's
 * {@code echo} does; it shows nothing the caller's key could not already read. {@code promotion}
 * (with a {@code sessionId}): how the session's folded turns become long-term memories from now on.
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
        Boolean useMemory,
        JsonNode json,
        Boolean echo,
        PromotionChoice promotion) {

    public static GenerateRequest of(String prompt) {
        return new GenerateRequest(prompt, null, null, null, null, null, null, null, null, null, null, null, null);
    }
}
