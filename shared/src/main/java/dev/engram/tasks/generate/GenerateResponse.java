package dev.engram.tasks.generate;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.engram.inference.FinishReason;
import dev.engram.tasks.Timings;
import dev.engram.tasks.Usage;
import dev.engram.tasks.conversation.MemoryReport;

/**
 * The answer of {@code POST /generate}. {@code memory} only with a {@code sessionId}; {@code prompt}
 * (the exact prompt text the model saw) only when {@code engram.memory.echo-prompt} is on.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GenerateResponse(
        String text, FinishReason finishReason, String model, Usage usage, Timings timings, MemoryReport memory, String prompt) {}
