package dev.engram.inference.remote;

import dev.engram.inference.tokenizer.Tokenizer;
import dev.engram.inference.tokenizer.Tokenizers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Counts tokens for budgets (working-memory window, recall budget) when the model runs elsewhere: with
 * the served model's own tokenizer when one is configured (read from its {@code tokenizer.json} as the
 * in-process engine reads it, without any weights), otherwise an estimate of one token per four
 * characters, rounded up, which is close for English BPE vocabularies and errs high for short words.
 */
public abstract sealed class TokenCounter {
    static final int CHARS_PER_TOKEN = 4;

    abstract int[] tokenize(String text);

    /** Human-readable, for logs and health. */
    abstract String describe();

    static TokenCounter estimate() {
        return new Estimate();
    }

    /** Loads the tokenizer in {@code location}: a model directory or a {@code tokenizer.json} in one. */
    static TokenCounter load(Path location) {
        Path dir = Files.isDirectory(location)
                ? location
                : location.toAbsolutePath().getParent();
        if (dir == null || !Files.isRegularFile(dir.resolve("tokenizer.json"))) {
            throw new IllegalStateException(
                    "No tokenizer.json at " + location + " (engram.inference.remote.tokenizer)");
        }
        try {
            return new Exact(Tokenizers.fromHuggingFace(dir), dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the tokenizer in " + dir, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Cannot load the tokenizer in " + dir + ": " + e.getMessage(), e);
        }
    }

    static final class Estimate extends TokenCounter {
        @Override
        int[] tokenize(String text) {
            // The ids are meaningless; only the count is used for budgets.
            return new int[(text.length() + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN];
        }

        @Override
        String describe() {
            return "estimate (ceil(chars/" + CHARS_PER_TOKEN + "))";
        }
    }

    static final class Exact extends TokenCounter {
        private final Tokenizer tokenizer;
        private final Path dir;

        Exact(Tokenizer tokenizer, Path dir) {
            this.tokenizer = tokenizer;
            this.dir = dir;
        }

        @Override
        int[] tokenize(String text) {
            return tokenizer.encode(text);
        }

        @Override
        String describe() {
            return "tokenizer in " + dir;
        }
    }
}
