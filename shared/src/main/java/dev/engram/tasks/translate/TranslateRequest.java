package dev.engram.tasks.translate;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * {@code POST /translate}: {@code text} into {@code targetLanguage} (ISO 639-1). Without a
 * {@code sourceLanguage} it is detected.
 */
@RegisterForReflection
public record TranslateRequest(String text, String targetLanguage, String sourceLanguage, String sessionId) {

    public static TranslateRequest of(String text, String targetLanguage) {
        return new TranslateRequest(text, targetLanguage, null, null);
    }
}
