package dev.engram.tasks.summarize;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.engram.tasks.Timings;
import dev.engram.tasks.Usage;
import dev.engram.tasks.conversation.MemoryReport;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * The answer of {@code POST /summarize}. {@code chunks}: how many map steps ran over the input (0 in
 * extractive mode); {@code steps}: every model call of an abstractive summary in order (map steps, then
 * the reduce levels), with its token counts; {@code model} only when the model ran; {@code memory} only
 * with a {@code sessionId}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection
public record SummarizeResponse(
        String summary,
        String mode,
        int chunks,
        String model,
        Usage usage,
        Timings timings,
        List<SummaryStep> steps,
        MemoryReport memory) {}
