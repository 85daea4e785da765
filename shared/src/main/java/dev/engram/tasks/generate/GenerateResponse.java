package dev.engram.tasks.generate;

import dev.engram.inference.FinishReason;
import dev.engram.tasks.Timings;
import dev.engram.tasks.Usage;

/** The answer of {@code POST /generate}. */
public record GenerateResponse(String text, FinishReason finishReason, String model, Usage usage, Timings timings) {}
