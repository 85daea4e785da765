package dev.engram.testing;

import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * stories260K's weights and tokenizer with a chat template added ({@code <|role|>} lines): a real model
 * whose prompts go through a template, for testing how tasks build chat prompts. The model was not
 * trained on the template, so its answers mean nothing.
 */
public final class ChatTemplateModel {
    public static final String TEMPLATE =
            "{% for message in messages %}{{ '<|' + message['role'] + '|>\\n' + message['content'] + '\\n' }}{% endfor %}"
                    + "{% if add_generation_prompt %}{{ '<|assistant|>\\n' }}{% endif %}";

    private ChatTemplateModel() {}

    /** A new temporary model directory; remove it with {@link #delete}. */
    public static Path write() {
        try {
            Path source = TestModels.stories260K();
            Path dir = Files.createTempDirectory("engram-chat-model-");
            for (String file : List.of("config.json", "tokenizer.json", "model.safetensors")) {
                Files.copy(source.resolve(file), dir.resolve(file));
            }
            Files.writeString(dir.resolve("tokenizer_config.json"), """
                    {"tokenizer_class": "LlamaTokenizer", "add_bos_token": true, "bos_token": "<s>", "eos_token": "</s>",
                     "unk_token": "<unk>", "model_max_length": 512, "chat_template": %s}
                    """.formatted(
                            TextNode.valueOf(TEMPLATE).toString()));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
