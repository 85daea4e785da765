package dev.engram.inference.structured;

import java.util.BitSet;

/**
 * One of a fixed set of JSON texts ({@code enum}, {@code const}, booleans, null), byte by byte. A text
 * other than a number ends with its last byte (JSON values are prefix-free); a number ends at the
 * byte after it, which may instead continue a longer candidate ({@code 1} and {@code 12}).
 *
 * @param alive the candidates that still match (never modified once in a frame)
 * @param at bytes matched so far
 * @param spaced whether the optional space before byte {@code at} was read
 */
record LiteralFrame(Shape.Literal shape, BitSet alive, int at, boolean spaced) implements Frame {

    static State begin(Shape.Literal shape, int b, State below) {
        BitSet all = new BitSet(shape.texts.length);
        all.set(0, shape.texts.length);
        return new LiteralFrame(shape, all, 0, false).next(b, below);
    }

    @Override
    public State next(int b, State below) {
        if (b == ' ' && !spaced) {
            BitSet spacing = new BitSet(shape.texts.length);
            for (int i = alive.nextSetBit(0); i >= 0; i = alive.nextSetBit(i + 1)) {
                if (shape.spaceBefore[i][at]) {
                    spacing.set(i);
                }
            }
            if (!spacing.isEmpty()) {
                return State.push(new LiteralFrame(shape, spacing, at, true), below);
            }
        }
        BitSet left = null;
        for (int i = alive.nextSetBit(0); i >= 0; i = alive.nextSetBit(i + 1)) {
            byte[] text = shape.texts[i];
            if (at < text.length && (text[at] & 0xFF) == b) {
                if (at + 1 == text.length && !shape.numeric[i]) {
                    return below;
                }
                if (left == null) {
                    left = new BitSet(shape.texts.length);
                }
                left.set(i);
            }
        }
        if (left != null) {
            return State.push(new LiteralFrame(shape, left, at + 1, false), below);
        }
        return ended() ? State.step(below, b) : null;
    }

    @Override
    public boolean completes(State below) {
        return ended() && State.completes(below);
    }

    /** Whether a number candidate is complete here. */
    private boolean ended() {
        for (int i = alive.nextSetBit(0); i >= 0; i = alive.nextSetBit(i + 1)) {
            if (shape.numeric[i] && shape.texts[i].length == at) {
                return true;
            }
        }
        return false;
    }
}
