package dev.engram.inference.chat;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import dev.engram.inference.gguf.GgufFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A model's chat template: Jinja source that turns a conversation into prompt text, rendered with
 * jinjava configured as Hugging Face configures Jinja ({@code trim_blocks}, {@code lstrip_blocks},
 * Jinja's whitespace control) and with the variables templates expect: {@code messages},
 * {@code add_generation_prompt}, {@code bos_token}, {@code eos_token} and {@code raise_exception}.
 * As with Hugging Face, the template writes {@code bos_token} itself where it wants one: the rendered
 * text is encoded with special tokens and no BOS added. Immutable and thread-safe.
 */
public final class ChatTemplate {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Made with the first template: a model without one never pays for jinjava's start. */
    private static final class Renderer {
        static final Jinjava JINJAVA = new Jinjava(JinjavaConfig.newBuilder()
                .withTrimBlocks(true)
                .withLstripBlocks(true)
                // a template comes from a model file: bound what it can make the renderer do
                .withMaxOutputSize(64L << 20)
                .withMaxStringLength(64L << 20)
                .withMaxMacroRecursionDepth(20)
                .withRangeLimit(10_000)
                .withLegacyOverrides(LegacyOverrides.newBuilder()
                        .withParseWhitespaceControlStrictly(true)
                        .withUseTrimmingForNotesAndExpressions(true)
                        .build())
                .build());

        static {
            JINJAVA.getGlobalContext()
                    .registerFunction(new ELFunctionDefinition(
                            "", "raise_exception", ChatTemplate.class, "raiseException", String.class));
        }
    }

    private final Jinjava renderer = Renderer.JINJAVA;
    private final String source;
    private final String bosToken;
    private final String eosToken;

    /** A template with the texts {@code bos_token} and {@code eos_token} stand for in it. */
    public ChatTemplate(String source, String bosToken, String eosToken) {
        this.source = Objects.requireNonNull(source, "source");
        this.bosToken = Objects.requireNonNullElse(bosToken, "");
        this.eosToken = Objects.requireNonNullElse(eosToken, "");
    }

    /** The template of the model in {@code dir} ({@code tokenizer_config.json}'s {@code chat_template}), or empty when it has none. */
    public static Optional<ChatTemplate> fromHuggingFace(Path dir) throws IOException {
        Path file = dir.resolve("tokenizer_config.json");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        if (Files.size(file) > 64 << 20) {
            throw new IllegalArgumentException("tokenizer_config.json is larger than 64 MB");
        }
        JsonNode config;
        try {
            config = JSON.readTree(file.toFile());
        } catch (JacksonException e) {
            throw new IllegalArgumentException("tokenizer_config.json is malformed: " + e.getOriginalMessage(), e);
        }
        return source(config.path("chat_template"))
                .map(source -> new ChatTemplate(
                        source, tokenText(config.get("bos_token")), tokenText(config.get("eos_token"))));
    }

    /** A template given as a string, or as a list of named templates (the one named {@code default}). */
    private static Optional<String> source(JsonNode node) {
        if (node.isTextual()) {
            return Optional.of(node.asText());
        }
        for (JsonNode named : node) {
            if ("default".equals(named.path("name").asText())
                    && named.path("template").isTextual()) {
                return Optional.of(named.path("template").asText());
            }
        }
        return Optional.empty();
    }

    private static String tokenText(JsonNode node) {
        if (node == null || node.isNull()) {
            return "";
        }
        return node.isTextual() ? node.asText() : node.path("content").asText("");
    }

    /** The template in a GGUF file's {@code tokenizer.chat_template}, or empty when it has none. */
    public static Optional<ChatTemplate> fromGguf(GgufFile file) {
        return file.findString("tokenizer.chat_template").map(source -> {
            List<String> tokens = file.getStrings("tokenizer.ggml.tokens");
            return new ChatTemplate(
                    source,
                    token(file, tokens, "tokenizer.ggml.bos_token_id"),
                    token(file, tokens, "tokenizer.ggml.eos_token_id"));
        });
    }

    private static String token(GgufFile file, List<String> tokens, String key) {
        int id = file.intOr(key, -1);
        return id >= 0 && id < tokens.size() ? tokens.get(id) : "";
    }

    /** The Jinja source. */
    public String source() {
        return source;
    }

    public String bosToken() {
        return bosToken;
    }

    public String eosToken() {
        return eosToken;
    }

    /**
     * The prompt text for {@code turns}; with {@code addGenerationPrompt} it ends where the assistant's
     * answer begins. A template that refuses the conversation ({@code raise_exception}, e.g. roles that
     * do not alternate) or fails to render gives an IllegalArgumentException with its message.
     */
    public String render(List<ChatTurn> turns, boolean addGenerationPrompt) {
        Map<String, Object> context = new HashMap<>();
        context.put(
                "messages",
                turns.stream()
                        .map(t -> {
                            Map<String, Object> message = new LinkedHashMap<>();
                            message.put("role", t.role());
                            message.put("content", t.content());
                            return message;
                        })
                        .toList());
        context.put("add_generation_prompt", addGenerationPrompt);
        context.put("bos_token", bosToken);
        context.put("eos_token", eosToken);
        RenderResult result = renderer.renderForResult(source, context);
        for (TemplateError error : result.getErrors()) {
            TemplateRefusal refusal = refusal(error.getException());
            if (refusal != null) {
                throw new IllegalArgumentException(
                        "the chat template refused the conversation: " + refusal.getMessage());
            }
            if (error.getSeverity() == TemplateError.ErrorType.FATAL) {
                throw new IllegalArgumentException("the chat template failed: " + error.getMessage());
            }
        }
        return result.getOutput();
    }

    /** The refusal somewhere in the causes of {@code e} (jinjava wraps what a function throws), or null. */
    private static TemplateRefusal refusal(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof TemplateRefusal refusal) {
                return refusal;
            }
        }
        return null;
    }

    /** {@code raise_exception(message)} in a template: the template refuses what it was given. */
    public static String raiseException(String message) {
        throw new TemplateRefusal(message);
    }

    /** Thrown by {@code raise_exception}; jinjava records it as a render error. */
    private static final class TemplateRefusal extends RuntimeException {
        TemplateRefusal(String message) {
            super(message, null, false, false);
        }
    }
}
