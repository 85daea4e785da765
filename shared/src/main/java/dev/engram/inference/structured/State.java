package dev.engram.inference.structured;

/**
 * A state of the JSON automaton: an immutable stack of {@link Frame}s, the innermost value being
 * written on top. Each frame below is what its parent does once the value above it is done, so a
 * finished value simply exposes the frame below. States compare by value (their hash is computed once,
 * on demand), so the token masks of a state can be cached and found again.
 *
 * <p>Every state the automaton can reach is live: some byte string leads from it to a complete
 * document. Frames keep that promise by refusing, byte by byte, anything that would end in a dead end.
 */
final class State {
    /** The document is complete: nothing may follow. */
    static final State DONE = new State(new Sentinel(true), null);
    /** The bottom of an {@code anyOf} alternative: reaching it means the alternative's value is done. */
    static final State ALTERNATIVE_DONE = new State(new Sentinel(false), null);
    /**
     * What stepping {@link #ALTERNATIVE_DONE} returns: the alternative's value (a number) ended just
     * before this byte, which belongs to whatever follows the {@code anyOf}.
     */
    static final State ENDED_BEFORE = new State(new Sentinel(true), null);

    final Frame frame;
    final State below;
    private int hash;

    State(Frame frame, State below) {
        this.frame = frame;
        this.below = below;
    }

    /** The state after byte {@code b} (0-255), or null when no valid document has it here. */
    static State step(State state, int b) {
        return state.frame.next(b, state.below);
    }

    /** Whether the document may end here. */
    static boolean completes(State state) {
        return state.frame.completes(state.below);
    }

    /** {@code frame} on top of {@code below}. */
    static State push(Frame frame, State below) {
        return new State(frame, below);
    }

    /** A value {@code child} is begun with byte {@code b}; {@code parent} takes over when it is done. */
    static State begin(Shape child, Frame parent, State below, int b) {
        return Values.begin(child, b, new State(parent, below));
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof State other) || hashCode() != other.hashCode()) {
            return false;
        }
        return frame.equals(other.frame) && (below == null ? other.below == null : below.equals(other.below));
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = 31 * frame.hashCode() + (below == null ? 0 : below.hashCode());
            hash = h == 0 ? 1 : h;
        }
        return hash;
    }

    @Override
    public String toString() {
        return below == null ? frame.toString() : frame + " | " + below;
    }

    /** The bottom frames; identity is all that matters for them. */
    private static final class Sentinel implements Frame {
        private final boolean end;

        Sentinel(boolean end) {
            this.end = end;
        }

        @Override
        public State next(int b, State below) {
            return end ? null : ENDED_BEFORE;
        }

        @Override
        public boolean completes(State below) {
            return true;
        }

        @Override
        public boolean equals(Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }
}
