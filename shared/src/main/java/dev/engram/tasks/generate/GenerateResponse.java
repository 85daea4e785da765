package dev.engram.tasks.generate;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.engram.inference.FinishReason;
import dev.engram.tasks.Timings;
import dev.engram.tasks.Usage;
import dev.engram.tasks.conversation.MemoryReport;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * The answer of {@code POST /generate}. {@code memory} only with a {@code sessionId}; {@code prompt}
 * (the exact prompt text the model saw) only when the request asks with {@code echo: true};
 * {@code memoriesUsed} (ids of the long-term memories put into the prompt, best first) only with
 * {@code useMemory: true}. {@code jsonComplete} only with {@code json}: whether {@code text} is a whole
 * document (false when {@code maxTokens}, the deadline or a stop string cut it short).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection
public record GenerateResponse(
        String text,
        FinishReason finishReason,
        String model,
        Usage usage,
        Timings timings,
        MemoryReport memory,
        String prompt,
        List<String> memoriesUsed,
        Boolean jsonComplete) {}
