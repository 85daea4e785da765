package dev.engram.inference;

/** Receives generated text as it becomes final (text that might still turn out to start a stop string is held back). */
@FunctionalInterface
public interface TokenListener {
    TokenListener NONE = text -> {};

    void onText(String text);
}
