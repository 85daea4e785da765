package dev.engram.inference.structured;

import java.nio.charset.StandardCharsets;

/**
 * The inside of a JSON string after its opening quote: characters counted (as code points, an escape
 * being one), strict UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF), escapes (no
 * {@code \\u} escape of a surrogate, so the text is always valid Unicode), no raw control characters.
 *
 * @param count characters so far (saturated where the caller stops caring)
 * @param need UTF-8 continuation bytes still due, the next one within [low, high]
 * @param escape 0 outside an escape, 1 after the backslash, 2-5 before hex digit 1-4 of {@code \\u}
 * @param hex the hex digits of a {@code \\u} escape so far
 * @param decoded the text so far, decoded, as ISO-8859-1 chars of its UTF-8 bytes; null when not kept
 */
record Text(int count, int need, int low, int high, int escape, int hex, String decoded) {
    /** The start of a string's text. */
    static final Text EMPTY = new Text(0, 0, 0, 0, 0, 0, null);
    /** The start of an object key, which is kept to refuse a duplicate. */
    static final Text KEY = new Text(0, 0, 0, 0, 0, 0, "");
    /** What {@link #next} returns for the closing quote. */
    static final Text CLOSED = new Text(-1, 0, 0, 0, 0, 0, null);

    /** The text after byte {@code b}, {@link #CLOSED} for the closing quote, null when {@code b} cannot come here. */
    Text next(int b, int maxLength) {
        return next(b, maxLength, Integer.MAX_VALUE);
    }

    /** As {@link #next(int, int)}, counting characters up to {@code saturate} only (fewer distinct states). */
    Text next(int b, int maxLength, int saturate) {
        if (need > 0) {
            if (b < low || b > high) {
                return null;
            }
            return new Text(count, need - 1, 0x80, 0xBF, 0, 0, append(b));
        }
        if (escape == 1) {
            int c = switch (b) {
                case '"', '\\', '/' -> b;
                case 'b' -> '\b';
                case 'f' -> '\f';
                case 'n' -> '\n';
                case 'r' -> '\r';
                case 't' -> '\t';
                case 'u' -> -1;
                default -> -2;
            };
            if (c == -2) {
                return null;
            }
            return c == -1 ? new Text(count, 0, 0, 0, 2, 0, decoded) : new Text(count, 0, 0, 0, 0, 0, append(c));
        }
        if (escape >= 2) {
            int digit = Character.digit(b, 16);
            if (digit < 0) {
                return null;
            }
            int value = hex * 16 + digit;
            if (escape == 3 && value >= 0xD8 && value <= 0xDF) {
                return null; // a surrogate: half a character
            }
            if (escape == 5) {
                return new Text(
                        count,
                        0,
                        0,
                        0,
                        0,
                        0,
                        decoded == null
                                ? null
                                : decoded
                                        + new String(
                                                Character.toString(value).getBytes(StandardCharsets.UTF_8),
                                                StandardCharsets.ISO_8859_1));
            }
            return new Text(count, 0, 0, 0, escape + 1, value, decoded);
        }
        if (b == '"') {
            return CLOSED;
        }
        if (b < 0x20) {
            return null;
        }
        if (count >= maxLength) {
            return null;
        }
        int counted = Math.min(count + 1, saturate);
        if (b == '\\') {
            return new Text(counted, 0, 0, 0, 1, 0, decoded);
        }
        if (b < 0x80) {
            return new Text(counted, 0, 0, 0, 0, 0, append(b));
        }
        // A UTF-8 lead byte: how many continuation bytes, and the range of the first (RFC 3629's table).
        if (b >= 0xC2 && b <= 0xDF) {
            return new Text(counted, 1, 0x80, 0xBF, 0, 0, append(b));
        }
        if (b >= 0xE0 && b <= 0xEF) {
            return new Text(counted, 2, b == 0xE0 ? 0xA0 : 0x80, b == 0xED ? 0x9F : 0xBF, 0, 0, append(b));
        }
        if (b >= 0xF0 && b <= 0xF4) {
            return new Text(counted, 3, b == 0xF0 ? 0x90 : 0x80, b == 0xF4 ? 0x8F : 0xBF, 0, 0, append(b));
        }
        return null;
    }

    /** Whether the text may close here: not inside a character or an escape. */
    boolean between() {
        return need == 0 && escape == 0;
    }

    private String append(int b) {
        return decoded == null ? null : decoded + (char) b;
    }
}
