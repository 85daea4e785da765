package dev.engram.tasks;

/** Tokens a call consumed, for every task's response. */
public record Usage(int promptTokens, int completionTokens) {
    public Usage plus(Usage other) {
        return new Usage(promptTokens + other.promptTokens, completionTokens + other.completionTokens);
    }
}
