package dev.engram.inference.structured;

import java.util.HashSet;
import java.util.Set;

/**
 * An object without declared properties: any keys, each once, with values of
 * {@code shape.additional} (or no key at all when that is null). Keys are compared decoded, so
 * {@code "a"} and {@code "\u0061"} are the same key.
 *
 * @param used the keys written so far, decoded (as ISO-8859-1 strings of their UTF-8 bytes)
 * @param key while in a key: the key so far
 * @param spaced after a comma: whether a space was read
 */
record MapFrame(Shape.Obj shape, int phase, Set<String> used, Text key, boolean spaced) implements Frame {

    static MapFrame open(Shape.Obj shape) {
        return new MapFrame(shape, ObjectFrame.OPEN, Set.of(), null, false);
    }

    @Override
    public State next(int b, State below) {
        switch (phase) {
            case ObjectFrame.OPEN, ObjectFrame.AFTER_COMMA -> {
                if (b == '"' && shape.additional != null) {
                    return State.push(new MapFrame(shape, ObjectFrame.KEY, used, Text.KEY, false), below);
                }
                if (phase == ObjectFrame.AFTER_COMMA && b == ' ' && !spaced) {
                    return State.push(new MapFrame(shape, ObjectFrame.AFTER_COMMA, used, null, true), below);
                }
                return phase == ObjectFrame.OPEN && b == '}' ? below : null;
            }
            case ObjectFrame.KEY -> {
                Text next = key.next(b, Integer.MAX_VALUE);
                if (next == Text.CLOSED) {
                    if (used.contains(key.decoded())) {
                        return null;
                    }
                    Set<String> more = new HashSet<>(used);
                    more.add(key.decoded());
                    return State.push(new MapFrame(shape, ObjectFrame.COLON, Set.copyOf(more), null, false), below);
                }
                return next == null ? null : State.push(new MapFrame(shape, ObjectFrame.KEY, used, next, false), below);
            }
            case ObjectFrame.COLON -> {
                return b == ':'
                        ? State.push(
                                new Values.ValueStart(shape.additional, true),
                                State.push(new MapFrame(shape, ObjectFrame.AFTER_VALUE, used, null, false), below))
                        : null;
            }
            default -> {
                if (b == ',') {
                    return State.push(new MapFrame(shape, ObjectFrame.AFTER_COMMA, used, null, false), below);
                }
                return b == '}' ? below : null;
            }
        }
    }
}
