package dev.engram.inference.tokenizer;

import dev.engram.inference.gguf.GgufFile;
import java.io.IOException;
import java.nio.file.Path;

/** Builds a model's {@link Tokenizer} from its files: a GGUF file, or a Hugging Face model directory. */
public final class Tokenizers {
    private Tokenizers() {}

    /** The tokenizer in {@code file}'s {@code tokenizer.ggml.*} metadata. */
    public static Tokenizer fromGguf(GgufFile file) {
        return new BpeTokenizer(GgufVocabulary.read(file));
    }

    /** The tokenizer of the model in {@code dir} ({@code tokenizer.json} and its config files). */
    public static Tokenizer fromHuggingFace(Path dir) throws IOException {
        return new BpeTokenizer(HuggingFaceVocabulary.read(dir));
    }
}
