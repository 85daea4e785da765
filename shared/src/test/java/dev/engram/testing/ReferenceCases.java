package dev.engram.testing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/** The greedy continuations in stories260K's reference.json (from llama2.c's run.c). */
public final class ReferenceCases {
    private ReferenceCases() {}

    public record Case(
            String prompt, int steps, String text, int[] token_ids, int[] prompt_token_ids, boolean stopped_on_bos) {
        /** The number of tokens run.c samples for {@code -n steps}: what maxTokens must be. */
        public int maxTokens() {
            return steps - prompt_token_ids.length + 1;
        }
    }

    public static List<Case> load(Path modelDir) {
        try {
            return List.of(new ObjectMapper()
                    .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                    .readValue(modelDir.resolve("reference.json").toFile(), Case[].class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
