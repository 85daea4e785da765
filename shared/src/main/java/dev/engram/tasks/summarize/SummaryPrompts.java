package dev.engram.tasks.summarize;

import dev.engram.inference.Prompt;

/**
 * The prompts of an abstractive summary. With a chat template the instruction is the system message and
 * the text the user message; a raw completion model gets the text followed by a cue it can continue.
 * Only the last step writes in the requested style; the partial summaries in between are plain prose.
 */
record SummaryPrompts(boolean chat, SummaryStyle style, String focus) {

    /** A chunk of the input; {@code last} when this one call makes the whole summary. */
    Prompt map(String text, boolean last) {
        if (chat) {
            return Prompt.of(
                    "Summarise the text the user sends" + about() + ", " + shape(last)
                            + ". Reply with the summary only.",
                    text);
        }
        return Prompt.of(text + "\n\n" + cue(last));
    }

    /** Partial summaries of consecutive parts, one per line; {@code last} when this makes the whole summary. */
    Prompt reduce(String summaries, boolean last) {
        if (chat) {
            return Prompt.of(
                    "The user sends summaries of consecutive parts of one text, one per line. Combine them into one summary of the whole text"
                            + about() + ", " + shape(last) + ". Reply with the summary only.",
                    summaries);
        }
        return Prompt.of("Summaries of consecutive parts of one text:\n" + summaries + "\n\n" + cue(last));
    }

    private String about() {
        return focus == null ? "" : " with a focus on " + focus;
    }

    private String shape(boolean last) {
        return last && style == SummaryStyle.BULLETS
                ? "as a short list of bullet points, each line starting with \"- \""
                : "in a few sentences";
    }

    private String cue(boolean last) {
        String cue = last && style == SummaryStyle.BULLETS ? "Summary in bullet points" : "Summary";
        return cue + (focus == null ? "" : " (about " + focus + ")") + ":";
    }
}
