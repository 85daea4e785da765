package dev.engram.inference.structured;

import java.math.BigDecimal;
import java.util.List;

/**
 * A compiled schema node: what the JSON value at one place of the document may be. Shapes are plain
 * classes with identity equality on purpose: automaton states refer to them and are hashed and
 * compared often, so a state's hash must not walk the schema.
 */
sealed interface Shape {

    /** Any JSON value ({@code {}} or {@code true} as a schema; the values of a {@code json_object}). */
    final class Any implements Shape {
        static final Any VALUE = new Any();

        private Any() {}
    }

    /**
     * An object. With declared {@code properties} only those are produced, in declaration order, each
     * required one present; without, any keys (no duplicates) whose values match {@code additional},
     * or no key at all when {@code additional} is null.
     */
    final class Obj implements Shape {
        final List<Property> properties;
        final Shape additional;
        /** {@code firstRequiredFrom[i]}: the first required property index ≥ i, or {@code properties.size()}. */
        final int[] firstRequiredFrom;

        Obj(List<Property> properties, Shape additional) {
            this.properties = List.copyOf(properties);
            this.additional = additional;
            this.firstRequiredFrom = new int[properties.size() + 1];
            firstRequiredFrom[properties.size()] = properties.size();
            for (int i = properties.size() - 1; i >= 0; i--) {
                firstRequiredFrom[i] = properties.get(i).required() ? i : firstRequiredFrom[i + 1];
            }
        }

        boolean declared() {
            return !properties.isEmpty();
        }

        /** Whether a required property remains at index {@code from} or later. */
        boolean requiredFrom(int from) {
            return firstRequiredFrom[from] < properties.size();
        }

        /** The property indexes a key may name after property {@code last}: up to the next required one. */
        long keysAfter(int last) {
            long keys = 0;
            int stop = Math.min(firstRequiredFrom[last + 1], properties.size() - 1);
            for (int i = last + 1; i <= stop; i++) {
                keys |= 1L << i;
            }
            return keys;
        }

        /** A declared property; {@code key} is its name as it appears between the quotes (JSON-escaped UTF-8). */
        record Property(String name, byte[] key, Shape shape, boolean required) {}
    }

    /** An array of {@code items}, with {@code minItems} … {@code maxItems} elements. */
    final class Arr implements Shape {
        final Shape items;
        final int minItems;
        final int maxItems;

        Arr(Shape items, int minItems, int maxItems) {
            this.items = items;
            this.minItems = minItems;
            this.maxItems = maxItems;
        }
    }

    /** A string of {@code minLength} … {@code maxLength} characters (code points; an escape is one). */
    final class Str implements Shape {
        static final Str ANY = new Str(0, Integer.MAX_VALUE);
        final int minLength;
        final int maxLength;

        Str(int minLength, int maxLength) {
            this.minLength = minLength;
            this.maxLength = maxLength;
        }
    }

    /**
     * A number (or an integer) written without exponent, with at most {@link #MAX_DIGITS} digits before
     * and after the point, within the bounds (null: unbounded).
     */
    final class Num implements Shape {
        static final int MAX_DIGITS = 15;
        static final Num ANY = new Num(false, null, false, null, false);
        final boolean integer;
        final BigDecimal minimum;
        final boolean minimumExclusive;
        final BigDecimal maximum;
        final boolean maximumExclusive;

        Num(
                boolean integer,
                BigDecimal minimum,
                boolean minimumExclusive,
                BigDecimal maximum,
                boolean maximumExclusive) {
            this.integer = integer;
            this.minimum = minimum;
            this.minimumExclusive = minimumExclusive;
            this.maximum = maximum;
            this.maximumExclusive = maximumExclusive;
        }

        boolean bounded() {
            return minimum != null || maximum != null;
        }
    }

    /**
     * One of a fixed set of values ({@code enum}, {@code const}, booleans, null), each as its compact
     * JSON text, in which (as everywhere) one space may follow a {@code :} or {@code ,}.
     */
    final class Literal implements Shape {
        static final Literal BOOLEAN = new Literal(List.of("true", "false"));
        static final Literal NULL = new Literal(List.of("null"));
        static final Literal SCALARS = new Literal(List.of("true", "false", "null"));
        final byte[][] texts;
        /** Numbers end only where the next byte is not part of them; every other JSON text ends by itself. */
        final boolean[] numeric;
        /** {@code spaceBefore[i][p]}: a space may come before byte {@code p} of text {@code i} (after a separator). */
        final boolean[][] spaceBefore;

        Literal(List<String> texts) {
            this.texts = new byte[texts.size()][];
            this.numeric = new boolean[texts.size()];
            this.spaceBefore = new boolean[texts.size()][];
            for (int i = 0; i < texts.size(); i++) {
                byte[] text = texts.get(i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                this.texts[i] = text;
                this.numeric[i] = text[0] == '-' || (text[0] >= '0' && text[0] <= '9');
                this.spaceBefore[i] = new boolean[text.length + 1];
                boolean inString = false;
                for (int p = 0; p < text.length; p++) {
                    if (text[p] == '"' && (p == 0 || !escaped(text, p))) {
                        inString = !inString;
                    } else if (!inString && (text[p] == ':' || text[p] == ',')) {
                        spaceBefore[i][p + 1] = true;
                    }
                }
            }
        }

        /** Whether the quote at {@code p} follows an odd number of backslashes. */
        private static boolean escaped(byte[] text, int p) {
            int backslashes = 0;
            for (int i = p - 1; i >= 0 && text[i] == '\\'; i--) {
                backslashes++;
            }
            return backslashes % 2 == 1;
        }
    }

    /** {@code anyOf}: the value matches at least one alternative. */
    final class Union implements Shape {
        final List<Shape> alternatives;

        Union(List<Shape> alternatives) {
            this.alternatives = List.copyOf(alternatives);
        }
    }
}
