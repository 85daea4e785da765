package dev.engram.inference;

import java.util.List;
import java.util.Objects;

/**
 * What a caller asks a {@link LanguageModel}: an optional system prompt, earlier turns, and the new
 * user text. Each engine renders it for itself (see {@link LanguageModel#render}).
 *
 * <p>With a chat template each part becomes a message. Without one (a raw completion model) the parts
 * are joined as plain text: the system prompt and a blank line, then each earlier user text directly
 * followed by its assistant continuation, one exchange per line, then the new text. A prompt with only
 * {@code user} renders to exactly {@code user}.
 *
 * <p>A {@linkplain #raw(String) raw} prompt is completion text to be used as it is, with or without a
 * chat template: every engine feeds {@code user} unrendered (the remote engine sends it to
 * {@code /v1/completions}). It has no system part and no history.
 */
public record Prompt(String system, List<Message> history, String user, boolean raw) {

    public Prompt {
        Objects.requireNonNull(user, "user");
        history = history == null ? List.of() : List.copyOf(history);
        if (raw && (system != null || !history.isEmpty())) {
            throw new IllegalArgumentException("a raw prompt is one text: no system part, no history");
        }
    }

    /** A chat prompt (not raw). */
    public Prompt(String system, List<Message> history, String user) {
        this(system, history, user, false);
    }

    /** {@code text} exactly as the model is to read it: no chat template, no joining. */
    public static Prompt raw(String text) {
        return new Prompt(null, List.of(), text, true);
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

    /** The raw-completion rendering described in the class comment ({@code user} itself for a raw prompt). */
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
