package dev.engram.inference.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tjake.jlama.model.ModelSupport;
import com.github.tjake.jlama.safetensors.tokenizer.Tokenizer;
import dev.engram.inference.jlama.WordwiseEncoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Counts tokens for budgets (working-memory window, recall budget) when the model runs elsewhere: with
 * the served model's own tokenizer when one is configured (Jlama's tokenizer, loaded without any
 * weights), otherwise an estimate of one token per four characters, rounded up, which is close for
 * English BPE vocabularies and errs high for short words.
 */
public abstract sealed class TokenCounter {
    static final int CHARS_PER_TOKEN = 4;

    abstract int[] tokenize(String text);

    /** Human-readable, for logs and health. */
    abstract String describe();

    static TokenCounter estimate() {
        return new Estimate();
    }

    /**
     * Loads the tokenizer in {@code location}: a model directory or a {@code tokenizer.json} in one. The
     * tokenizer class follows {@code config.json}'s {@code model_type} (Llama's when there is none).
     */
    static TokenCounter load(Path location) {
        Path dir = Files.isDirectory(location) ? location : location.toAbsolutePath().getParent();
        if (dir == null || !Files.isRegularFile(dir.resolve("tokenizer.json"))) {
            throw new IllegalStateException("No tokenizer.json at " + location + " (engram.inference.remote.tokenizer)");
        }
        ModelSupport.ModelType type = ModelSupport.ModelType.LLAMA;
        Path config = dir.resolve("config.json");
        if (Files.isRegularFile(config)) {
            try {
                JsonNode modelType = new ObjectMapper().readTree(config.toFile()).path("model_type");
                if (modelType.isTextual()) {
                    type = ModelSupport.ModelType.valueOf(modelType.asText().toUpperCase(Locale.ROOT));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + config, e);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("Jlama has no tokenizer for model_type in " + config + ": " + e.getMessage(), e);
            }
        }
        try {
            return new Exact(type.tokenizerClass.getConstructor(Path.class).newInstance(dir), dir);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot load the tokenizer in " + dir + ": " + e, e);
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
        private final WordwiseEncoder tokenizer;
        private final Path dir;

        Exact(Tokenizer tokenizer, Path dir) {
            this.tokenizer = new WordwiseEncoder(tokenizer);
            this.dir = dir;
        }

        @Override
        int[] tokenize(String text) {
            return Arrays.stream(tokenizer.encode(text)).mapToInt(Math::toIntExact).toArray();
        }

        @Override
        String describe() {
            return "tokenizer in " + dir;
        }
    }
}
