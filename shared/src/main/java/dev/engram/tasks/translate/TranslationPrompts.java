package dev.engram.tasks.translate;

import dev.engram.inference.Prompt;
import java.util.List;

/**
 * The prompt for one chunk. With a chat template the instruction is the system message and the chunk
 * the user message; a raw completion model gets a labelled pair it can continue, and its answer ends at
 * the line break (a chunk never has one).
 */
record TranslationPrompts(boolean chat, String sourceName, String targetName) {

    Prompt prompt(String chunk) {
        String from = sourceName == null ? "" : " from " + sourceName;
        if (chat) {
            return Prompt.of(
                    "Translate the text the user sends" + from + " into " + targetName
                            + ". Reply with the translation only, without notes or quotation marks.",
                    chunk);
        }
        return Prompt.of("Translate" + from + " into " + targetName + ".\n" + (sourceName == null ? "Text" : sourceName)
                + ": " + chunk + "\n" + targetName + ":");
    }

    List<String> stop() {
        return chat ? List.of() : List.of("\n");
    }
}
