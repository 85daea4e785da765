package dev.engram.tasks.openai;

import dev.engram.inference.GenerationRequest;
import dev.engram.inference.LanguageModel;

/**
 * A checked chat request, ready to run: the model, the generation and how to answer.
 *
 * @param includeUsage whether a stream ends with a usage chunk
 */
public record ChatCall(LanguageModel model, GenerationRequest generation, boolean stream, boolean includeUsage) {}
