package dev.engram.tasks.translate;

/**
 * What the language detector found: an ISO 639-1 code ({@code null} when no supported language is
 * plausible) and a confidence in [0, 1] — the margin of the best language over the runner-up in
 * Lingua's relative scores: near 0 a toss-up, 1 when no other supported language is plausible.
 */
public record Detection(String language, double confidence) {
    public static final Detection UNKNOWN = new Detection(null, 0);
}
