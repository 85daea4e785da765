package dev.engram.memory.session;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.Objects;

/**
 * One message of a conversation, as working memory keeps it.
 *
 * @param role      {@value #USER} or {@value #ASSISTANT}
 * @param text      what was said
 * @param tokens    its length in the model's tokens, counted once by the caller so that window
 *                  arithmetic never needs the tokenizer
 * @param timestamp when it was said, epoch milliseconds
 */
@RegisterForReflection // stored as JSON: native images need the record's accessors
public record Turn(String role, String text, int tokens, long timestamp) {
    public static final String USER = "user";
    public static final String ASSISTANT = "assistant";

    public Turn {
        if (!USER.equals(role) && !ASSISTANT.equals(role)) {
            throw new IllegalArgumentException(
                    "A turn's role is '" + USER + "' or '" + ASSISTANT + "', got '" + role + "'");
        }
        Objects.requireNonNull(text, "text");
        if (tokens < 0) {
            throw new IllegalArgumentException("A turn's token count cannot be negative: " + tokens);
        }
    }

    public static Turn user(String text, int tokens, long timestamp) {
        return new Turn(USER, text, tokens, timestamp);
    }

    public static Turn assistant(String text, int tokens, long timestamp) {
        return new Turn(ASSISTANT, text, tokens, timestamp);
    }
}
