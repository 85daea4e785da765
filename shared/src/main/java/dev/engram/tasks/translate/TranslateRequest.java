package dev.engram.tasks.translate;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * {@code POST /translate}: {@code text} into {@code targetLanguage} (ISO 639-1). Without a
 * {@code sourceLanguage} it is detected. {@code segments}: {@code true} also returns each chunk the
 * model translated beside its translation, in order.
 */
@RegisterForReflection
public record TranslateRequest(
        String text, String targetLanguage, String sourceLanguage, String sessionId, Boolean segments) {

    public static TranslateRequest of(String text, String targetLanguage) {
        return new TranslateRequest(text, targetLanguage, null, null, null);
    }
}
