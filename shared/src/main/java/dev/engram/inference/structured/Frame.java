package dev.engram.inference.structured;

/**
 * One level of the automaton's stack: the local state of the value being written there. Frames are
 * immutable records compared by value (shapes by identity).
 */
interface Frame {

    /**
     * The state after byte {@code b} with this frame on top of {@code below}, or null when {@code b}
     * cannot come here. A frame whose value ends with {@code b} returns {@code below}; a number, which
     * ends only at the byte after it, passes that byte on: {@code State.step(below, b)}.
     */
    State next(int b, State below);

    /** Whether the document may end with this frame on top of {@code below}. */
    default boolean completes(State below) {
        return false;
    }
}
