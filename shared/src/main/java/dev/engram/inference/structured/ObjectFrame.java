package dev.engram.inference.structured;

/**
 * An object with declared properties, written in declaration order: a key may name any property
 * after the last one written, up to the next required one (a required property cannot be skipped),
 * and the object closes only when no required property is left.
 *
 * @param last the index of the last property written (-1 before the first)
 * @param keys while in a key: the properties whose key still matches, one bit each
 * @param at while in a key: bytes of it read so far; after a comma: 1 once a space was read
 */
record ObjectFrame(Shape.Obj shape, int phase, int last, long keys, int at) implements Frame {
    static final int OPEN = 0;
    static final int KEY = 1;
    static final int COLON = 2;
    static final int AFTER_VALUE = 3;
    static final int AFTER_COMMA = 4;

    static ObjectFrame open(Shape.Obj shape) {
        return new ObjectFrame(shape, OPEN, -1, 0, 0);
    }

    @Override
    public State next(int b, State below) {
        switch (phase) {
            case OPEN, AFTER_COMMA -> {
                long after = shape.keysAfter(last);
                if (b == '"' && after != 0) {
                    return State.push(new ObjectFrame(shape, KEY, last, after, 0), below);
                }
                if (phase == AFTER_COMMA && b == ' ' && at == 0) {
                    return State.push(new ObjectFrame(shape, AFTER_COMMA, last, 0, 1), below);
                }
                return phase == OPEN && b == '}' && !shape.requiredFrom(0) ? below : null;
            }
            case KEY -> {
                return key(b, below);
            }
            case COLON -> {
                return b == ':'
                        ? State.push(
                                new Values.ValueStart(shape.properties.get(last).shape(), true),
                                State.push(new ObjectFrame(shape, AFTER_VALUE, last, 0, 0), below))
                        : null;
            }
            default -> {
                if (b == ',' && last + 1 < shape.properties.size()) {
                    return State.push(new ObjectFrame(shape, AFTER_COMMA, last, 0, 0), below);
                }
                return b == '}' && !shape.requiredFrom(last + 1) ? below : null;
            }
        }
    }

    private State key(int b, State below) {
        long left = 0;
        for (long rest = keys; rest != 0; rest &= rest - 1) {
            int i = Long.numberOfTrailingZeros(rest);
            byte[] key = shape.properties.get(i).key();
            if (b == '"' && key.length == at) {
                return State.push(new ObjectFrame(shape, COLON, i, 0, 0), below);
            }
            if (at < key.length && (key[at] & 0xFF) == b) {
                left |= 1L << i;
            }
        }
        return left == 0 ? null : State.push(new ObjectFrame(shape, KEY, last, left, at + 1), below);
    }
}
