package dev.engram.tasks.translate;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.engram.tasks.Timings;
import dev.engram.tasks.Usage;
import dev.engram.tasks.conversation.MemoryReport;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * The answer of {@code POST /translate}. {@code sourceLanguage}: the one translated from (given, or
 * detected; absent when neither); {@code detectedLanguage} and {@code confidence}: what the detector
 * found; {@code chunks}: model calls made (0 when source and target are the same); {@code model} only
 * when the model ran; {@code memory} only with a {@code sessionId}; {@code segments} (each chunk and its
 * translation, in order) only when the request asks for them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection
public record TranslateResponse(
        String translation,
        String sourceLanguage,
        String targetLanguage,
        String detectedLanguage,
        double confidence,
        int chunks,
        String model,
        Usage usage,
        Timings timings,
        MemoryReport memory,
        List<Segment> segments) {

    /** One chunk of the input and what the model made of it. */
    @RegisterForReflection
    public record Segment(String source, String translation) {}
}
