package dev.engram.tasks.classify;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.engram.tasks.Usage;
import dev.engram.tasks.conversation.MemoryReport;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * The answer of {@code POST /classify}.
 *
 * @param labels every label with its probability, best first
 * @param label single-label: the top label's name (null when below the threshold); multi-label: the
 *     list of names at or above the threshold, best first
 * @param mode which mode decided: {@code llm} or {@code embedding}
 * @param margin the embedding's top-two margin in its single-label (softmax) probabilities (modes embedding and auto)
 * @param model the model that decided: the language model's name, or the embedder's
 * @param usage llm mode: prompt tokens and scored label tokens; embedding mode: zeros
 * @param memory only with a {@code sessionId}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection
public record ClassifyResponse(
        List<LabelScore> labels,
        Object label,
        String mode,
        Double margin,
        String model,
        Usage usage,
        ClassifyTimings timings,
        MemoryReport memory) {

    /**
     * One label's result. {@code logProb} (llm: mean log-likelihood per label token) and
     * {@code similarity} (embedding: cosine) say where the score came from.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @RegisterForReflection
    public record LabelScore(String label, double score, Double logProb, Integer tokens, Double similarity) {}
}
