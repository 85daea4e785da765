package dev.engram.inference;

import java.util.List;
import java.util.Objects;

/**
 * What a task wants to ask: an optional system prompt, earlier turns, and the new user text.
 *
 * <p>With a chat template each part becomes a message. Without one (a raw completion model) the parts
 * are joined as plain text: the system prompt and a blank line, then each earlier user text directly
 * followed by its assistant continuation, one exchange per line, then the new text. A prompt with only
 * {@code user} renders to exactly {@code user}.
 */
public record Prompt(String system, List<Message> history, String user) {

    public Prompt {
        Objects.requireNonNull(user, "user");
        history = history == null ? List.of() : List.copyOf(history);
    }

    public static Prompt of(String user) {
        return new Prompt(null, List.of(), user);
    }

    public static Prompt of(String system, String user) {
        return new Prompt(system, List.of(), user);
    }

    /** One earlier message. */
    public record Message(Role role, String text) {
        public Message {
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(text, "text");
        }
    }

    public enum Role {
        USER,
        ASSISTANT
    }

    /** {@code system} with {@code section} after a blank line (or {@code section} alone): how memory joins the system part. */
    public static String appendToSystem(String system, String section) {
        return system == null || system.isBlank() ? section : system + "\n\n" + section;
    }

    /** The raw-completion rendering described in the class comment. */
    public String asCompletionText() {
        StringBuilder text = new StringBuilder();
        if (system != null && !system.isBlank()) {
            text.append(system).append("\n\n");
        }
        for (Message message : history) {
            if (message.role() == Role.USER && !text.isEmpty() && text.charAt(text.length() - 1) != '\n') {
                text.append('\n');
            }
            text.append(message.text());
        }
        if (!history.isEmpty() && text.charAt(text.length() - 1) != '\n') {
            text.append('\n');
        }
        return text.append(user).toString();
    }
}
