package dev.engram.json;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.core.io.InputDecorator;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.JsonNodeDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import java.io.ByteArrayInputStream;
import java.io.DataInput;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Request text must be real Unicode. Jackson's UTF-8 reader lets overlong forms ({@code C0 AF} reads as
 * "/") and code points above U+10FFFF through, and a JSON escape can name half a surrogate pair
 * ({@code "\ud800"}), which no UTF-8 encoder can write back: Redis would store "?" and the embedder
 * fails. Both are refused while parsing, so every field of every function gets a 400 naming it — also
 * text inside fields kept as JSON trees, and text a custom deserializer reads through the context.
 */
final class WellFormedText {
    private WellFormedText() {}

    /** Checks the raw bytes of a body as strict UTF-8 before Jackson decodes them. */
    static final class Utf8Check extends InputDecorator {
        @Override
        public InputStream decorate(IOContext ctxt, InputStream in) throws IOException {
            byte[] bytes = in.readAllBytes(); // request bodies are bounded by the HTTP server's limit
            check(bytes, 0, bytes.length);
            return new ByteArrayInputStream(bytes);
        }

        @Override
        public InputStream decorate(IOContext ctxt, byte[] src, int offset, int length) throws IOException {
            check(src, offset, length);
            return null; // parse the array as it is
        }

        @Override
        public Reader decorate(IOContext ctxt, Reader r) {
            return r; // already characters: surrogates are checked per string
        }

        @Override
        public DataInput decorate(IOContext ctxt, DataInput input) {
            return input;
        }

        private static void check(byte[] bytes, int offset, int length) throws JsonParseException {
            if (looksLikeUtf16or32(bytes, offset, length)) {
                return; // Jackson detects those encodings itself; only UTF-8 needs the strict pass
            }
            try {
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes, offset, length));
            } catch (CharacterCodingException e) {
                throw new JsonParseException((JsonParser) null, "The body is not valid UTF-8 (" + e.getMessage() + ")");
            }
        }

        /** JSON starts with an ASCII character, so a NUL among the first two bytes means UTF-16 or UTF-32. */
        private static boolean looksLikeUtf16or32(byte[] bytes, int offset, int length) {
            return length >= 2 && (bytes[offset] == 0 || bytes[offset + 1] == 0);
        }
    }

    /** Strings (also inside lists) with an unpaired surrogate are refused with the field's path. */
    static final class Strings extends StringDeserializer {
        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String value = super.deserialize(p, ctxt);
            int at = value == null ? -1 : unpaired(value);
            if (at >= 0) {
                return ctxt.reportInputMismatch(String.class, "%s", problem(value, at, ""));
            }
            return value;
        }
    }

    /**
     * Fields kept as JSON trees (a chat message's {@code content}, string or parts; a batch line) get the
     * same check on every string and field name inside, the place named after the field's own path.
     */
    static final class Trees extends JsonNodeDeserializer {
        @Override
        public JsonNode deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonNode node = super.deserialize(p, ctxt);
            String problem = check(node, "");
            return problem == null ? node : ctxt.reportInputMismatch(JsonNode.class, "%s", problem);
        }

        private static String check(JsonNode node, String where) {
            if (node.isTextual()) {
                int at = unpaired(node.textValue());
                return at < 0 ? null : problem(node.textValue(), at, where);
            }
            String inner = null;
            if (node.isObject()) {
                for (var it = node.properties().iterator(); inner == null && it.hasNext(); ) {
                    var field = it.next();
                    int at = unpaired(field.getKey());
                    inner = at >= 0
                            ? problem(field.getKey(), at, where + " (a field name)")
                            : check(field.getValue(), where + "." + field.getKey());
                }
            }
            for (int i = 0; inner == null && node.isArray() && i < node.size(); i++) {
                inner = check(node.get(i), where + "[" + i + "]");
            }
            return inner;
        }
    }

    /** The index of the first surrogate that is not half of a pair, or -1. */
    private static int unpaired(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c)
                    && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    private static String problem(String value, int at, String where) {
        return String.format(
                "text%s has an unpaired UTF-16 surrogate (\\u%04x) at index %d: not valid Unicode",
                where.isEmpty() ? "" : " at " + where.replaceFirst("^\\.", ""), (int) value.charAt(at), at);
    }
}
