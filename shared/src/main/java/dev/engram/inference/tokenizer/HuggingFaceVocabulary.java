package dev.engram.inference.tokenizer;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a {@link Vocabulary} from a Hugging Face model directory: {@code tokenizer.json} (a BPE model,
 * SentencePiece-style with byte fallback or byte-level), with the special ids and flags from
 * {@code tokenizer_config.json}, {@code config.json} and {@code generation_config.json} when present.
 * Tokenizer features that would change ids and are not implemented (other models, normalizers or
 * pre-tokenizers) are refused by name rather than ignored.
 */
public final class HuggingFaceVocabulary {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_FILE_BYTES = 256L << 20;
    /** Ids above this are refused: a hostile file could otherwise make the id table any size. */
    private static final int MAX_ID = 1 << 22;

    private static final Pattern BYTE_PIECE = Pattern.compile("<0x[0-9A-Fa-f]{2}>");
    private static final String SPACE_MARK = "\u2581";

    private HuggingFaceVocabulary() {}

    /** The vocabulary of the model in {@code dir}; malformed or unsupported files are refused with an IllegalArgumentException. */
    public static Vocabulary read(Path dir) throws IOException {
        JsonNode tokenizer = json(dir.resolve("tokenizer.json"))
                .orElseThrow(() -> new IllegalArgumentException("no tokenizer.json in " + dir));
        JsonNode tokenizerConfig = json(dir.resolve("tokenizer_config.json")).orElse(JSON.nullNode());
        JsonNode config = json(dir.resolve("config.json")).orElse(JSON.nullNode());
        JsonNode generationConfig = json(dir.resolve("generation_config.json")).orElse(JSON.nullNode());
        try {
            return read(tokenizer, tokenizerConfig, config, generationConfig);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tokenizer.json in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static Vocabulary read(
            JsonNode tokenizer, JsonNode tokenizerConfig, JsonNode config, JsonNode generationConfig) {
        JsonNode model = tokenizer.path("model");
        if (!"BPE".equals(model.path("type").asText(null))) {
            throw new IllegalArgumentException(
                    "model type '" + model.path("type").asText("?") + "' is not supported (BPE is)");
        }
        Map<Integer, String> byId = new HashMap<>();
        JsonNode vocab = model.path("vocab");
        if (!vocab.isObject() || vocab.isEmpty()) {
            throw new IllegalArgumentException("model.vocab is missing or empty");
        }
        vocab.properties().forEach(e -> byId.put(id(e.getValue(), e.getKey()), e.getKey()));
        Map<Integer, Boolean> added = new HashMap<>(); // id -> special
        for (JsonNode token : tokenizer.path("added_tokens")) {
            int id = id(token.path("id"), token.path("content").asText());
            byId.put(id, text(token, "content"));
            added.put(id, token.path("special").asBoolean(false));
        }
        int size = byId.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        if (size > 2 * byId.size() + 1024) {
            throw new IllegalArgumentException(
                    "ids reach " + (size - 1) + " but only " + byId.size() + " pieces are given");
        }
        List<String> pieces = new ArrayList<>(size);
        List<TokenType> types = new ArrayList<>(size);
        Map<String, Integer> ids = new HashMap<>();
        boolean byteLevel = mentions(tokenizer.path("pre_tokenizer"), "ByteLevel")
                || mentions(tokenizer.path("decoder"), "ByteLevel");
        boolean byteFallback = model.path("byte_fallback").asBoolean(false);
        for (int id = 0; id < size; id++) {
            String piece = byId.getOrDefault(id, "[PAD" + id + "]");
            pieces.add(piece);
            ids.putIfAbsent(piece, id);
            Boolean special = added.get(id);
            types.add(
                    !byId.containsKey(id)
                            ? TokenType.UNUSED
                            : special != null
                                    ? (special ? TokenType.CONTROL : TokenType.USER_DEFINED)
                                    : !byteLevel
                                                    && byteFallback
                                                    && BYTE_PIECE.matcher(piece).matches()
                                            ? TokenType.BYTE
                                            : TokenType.NORMAL);
        }
        int unknown = Optional.ofNullable(model.get("unk_token"))
                .filter(JsonNode::isTextual)
                .map(n -> ids.getOrDefault(n.asText(), -1))
                .orElse(-1);
        if (unknown >= 0) {
            types.set(unknown, TokenType.UNKNOWN);
        }
        List<Merge> merges = new ArrayList<>();
        for (JsonNode merge : model.path("merges")) {
            merges.add(
                    merge.isArray() && merge.size() == 2
                            ? new Merge(merge.get(0).asText(), merge.get(1).asText())
                            : Merge.parse(merge.asText()));
        }
        Normalizer normalizer = normalizer(tokenizer.path("normalizer"));
        int bos = specialId(tokenizerConfig.get("bos_token"), ids).orElse(idOrNone(config.get("bos_token_id"), size));
        Set<Integer> ends = new LinkedHashSet<>();
        specialId(tokenizerConfig.get("eos_token"), ids).ifPresent(ends::add);
        addIds(config.get("eos_token_id"), size, ends);
        addIds(generationConfig.get("eos_token_id"), size, ends);
        int eos = ends.isEmpty() ? -1 : ends.iterator().next();
        int padding = specialId(tokenizerConfig.get("pad_token"), ids).orElse(-1);
        boolean addBos = tokenizerConfig.path("add_bos_token").isBoolean()
                ? tokenizerConfig.path("add_bos_token").asBoolean()
                : bos >= 0 && templateStartsWith(tokenizer.path("post_processor"), pieces.get(bos));
        boolean addEos = tokenizerConfig.path("add_eos_token").asBoolean(false);
        if (byteLevel) {
            String pattern = splitPattern(tokenizer.path("pre_tokenizer"));
            String pre = SplitPatterns.nameOf(pattern).orElse("default");
            return new Vocabulary(
                    Vocabulary.Kind.BYTE_LEVEL,
                    pieces,
                    types,
                    null,
                    merges,
                    pre,
                    pattern,
                    model.path("ignore_merges").asBoolean(false),
                    normalizer.nfc(),
                    bos,
                    eos,
                    unknown,
                    padding,
                    ends,
                    addBos,
                    addEos,
                    addsPrefixSpace(tokenizer.path("pre_tokenizer")));
        }
        boolean metaspacePrefix = metaspacePrefix(tokenizer.path("pre_tokenizer"));
        if (!byteFallback
                && !normalizer.prependsSpaceMark()
                && !metaspacePrefix
                && !mentions(tokenizer.path("pre_tokenizer"), "Metaspace")) {
            throw new IllegalArgumentException(
                    "a BPE model that is neither byte-level nor SentencePiece-style is not supported");
        }
        return new Vocabulary(
                Vocabulary.Kind.SENTENCEPIECE,
                pieces,
                types,
                null,
                merges,
                null,
                null,
                false,
                normalizer.nfc(),
                bos,
                eos,
                unknown,
                padding,
                ends,
                addBos,
                addEos,
                normalizer.prependsSpaceMark() || metaspacePrefix);
    }

    /** What the supported normalizers do: prepend {@code ▁}, replace spaces by it, NFC. */
    private record Normalizer(boolean prependsSpaceMark, boolean nfc) {}

    private static Normalizer normalizer(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return new Normalizer(false, false);
        }
        String type = node.path("type").asText("?");
        return switch (type) {
            case "Sequence" -> {
                boolean prepend = false;
                boolean nfc = false;
                for (JsonNode child : node.path("normalizers")) {
                    Normalizer n = normalizer(child);
                    prepend |= n.prependsSpaceMark();
                    nfc |= n.nfc();
                }
                yield new Normalizer(prepend, nfc);
            }
            case "Prepend" -> {
                if (!SPACE_MARK.equals(node.path("prepend").asText())) {
                    throw new IllegalArgumentException(
                            "a Prepend normalizer of '" + node.path("prepend").asText() + "' is not supported");
                }
                yield new Normalizer(true, false);
            }
            case "Replace" -> {
                if (!" ".equals(node.path("pattern").path("String").asText(null))
                        || !SPACE_MARK.equals(node.path("content").asText())) {
                    throw new IllegalArgumentException("a Replace normalizer other than ' ' -> '▁' is not supported");
                }
                yield new Normalizer(false, false);
            }
            case "NFC" -> new Normalizer(false, true);
            default -> throw new IllegalArgumentException("normalizer '" + type + "' is not supported");
        };
    }

    /** The Split regex of a byte-level pre-tokenizer, or GPT-2's when ByteLevel splits by itself. */
    private static String splitPattern(JsonNode node) {
        String type = node.path("type").asText("?");
        return switch (type) {
            case "Sequence" -> {
                String pattern = null;
                for (JsonNode child : node.path("pretokenizers")) {
                    String childPattern = splitPattern(child);
                    if (childPattern != null) {
                        if (pattern != null) {
                            throw new IllegalArgumentException(
                                    "a pre-tokenizer that splits more than once is not supported");
                        }
                        pattern = childPattern;
                    }
                }
                if (pattern == null) {
                    throw new IllegalArgumentException(
                            "a byte-level pre-tokenizer without a split pattern is not supported");
                }
                yield pattern;
            }
            case "Split" -> {
                String regex = node.path("pattern").path("Regex").asText(null);
                if (regex == null
                        || !"Isolated".equals(node.path("behavior").asText())
                        || node.path("invert").asBoolean(false)) {
                    throw new IllegalArgumentException(
                            "only Split pre-tokenizers with an isolated Regex pattern are supported");
                }
                yield regex;
            }
            case "ByteLevel" -> node.path("use_regex").asBoolean(true) ? SplitPatterns.GPT2 : null;
            default -> throw new IllegalArgumentException("pre-tokenizer '" + type + "' is not supported");
        };
    }

    private static boolean addsPrefixSpace(JsonNode node) {
        if ("Sequence".equals(node.path("type").asText())) {
            for (JsonNode child : node.path("pretokenizers")) {
                if (addsPrefixSpace(child)) {
                    return true;
                }
            }
            return false;
        }
        return "ByteLevel".equals(node.path("type").asText())
                && node.path("add_prefix_space").asBoolean(false);
    }

    /** Whether a Metaspace pre-tokenizer puts {@code ▁} before the text (SentencePiece's dummy prefix). */
    private static boolean metaspacePrefix(JsonNode node) {
        if ("Sequence".equals(node.path("type").asText())) {
            for (JsonNode child : node.path("pretokenizers")) {
                if (metaspacePrefix(child)) {
                    return true;
                }
            }
            return false;
        }
        if (!"Metaspace".equals(node.path("type").asText())) {
            return false;
        }
        String scheme =
                node.path("prepend_scheme").asText(node.path("add_prefix_space").asBoolean(true) ? "always" : "never");
        return !scheme.equals("never");
    }

    /** Whether the post-processor's single-sequence template starts with the special token {@code piece}. */
    private static boolean templateStartsWith(JsonNode node, String piece) {
        if ("Sequence".equals(node.path("type").asText())) {
            for (JsonNode child : node.path("processors")) {
                if (templateStartsWith(child, piece)) {
                    return true;
                }
            }
            return false;
        }
        return "TemplateProcessing".equals(node.path("type").asText())
                && piece.equals(node.path("single")
                        .path(0)
                        .path("SpecialToken")
                        .path("id")
                        .asText(null));
    }

    private static boolean mentions(JsonNode node, String type) {
        if (type.equals(node.path("type").asText())) {
            return true;
        }
        for (JsonNode child : node) {
            if (child.isContainerNode() && mentions(child, type)) {
                return true;
            }
        }
        return false;
    }

    /** A special token given as a string or as {@code {"content": ...}} in tokenizer_config.json. */
    private static Optional<Integer> specialId(JsonNode node, Map<String, Integer> ids) {
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        String content = node.isTextual() ? node.asText() : node.path("content").asText(null);
        return Optional.ofNullable(content == null ? null : ids.get(content));
    }

    private static int idOrNone(JsonNode node, int size) {
        return node != null && node.canConvertToInt() && node.asInt() >= 0 && node.asInt() < size ? node.asInt() : -1;
    }

    /** An id or a list of ids (config.json's {@code eos_token_id} may be either); ids outside the vocabulary are skipped. */
    private static void addIds(JsonNode node, int size, Set<Integer> into) {
        if (node == null) {
            return;
        }
        for (JsonNode id : node.isArray() ? node : JSON.createArrayNode().add(node)) {
            if (idOrNone(id, size) >= 0) {
                into.add(id.asInt());
            }
        }
    }

    private static int id(JsonNode node, String piece) {
        if (!node.canConvertToInt() || node.asInt() < 0 || node.asInt() >= MAX_ID) {
            throw new IllegalArgumentException(
                    "piece '" + piece + "' has id " + node + ", not an id from 0 to " + MAX_ID);
        }
        return node.asInt();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("an entry has no string '" + field + "': " + node);
        }
        return value.asText();
    }

    private static Optional<JsonNode> json(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        if (Files.size(file) > MAX_FILE_BYTES) {
            throw new IllegalArgumentException(file + " is larger than " + MAX_FILE_BYTES + " bytes");
        }
        try {
            JsonNode node = JSON.readTree(file.toFile());
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException(file.getFileName() + " is not a JSON object");
            }
            return Optional.of(node);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(file.getFileName() + " is malformed JSON: " + e.getOriginalMessage(), e);
        }
    }

    static boolean isBytePiece(String piece) {
        return BYTE_PIECE.matcher(piece).matches();
    }
}
