package dev.engram.inference.structured;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Where values begin: the first byte picks the kind of value, and {@code anyOf} follows its alternatives. */
final class Values {
    private Values() {}

    /** The state after the first byte {@code b} of a value of {@code shape}, with {@code below} taking over after it. */
    static State begin(Shape shape, int b, State below) {
        return switch (shape) {
            case Shape.Any any ->
                switch (b) {
                    case '{' -> State.push(MapFrame.open(Containers.ANY_OBJECT), below);
                    case '[' -> State.push(ArrayFrame.open(Containers.ANY_ARRAY), below);
                    case '"' -> State.push(StringFrame.open(Shape.Str.ANY), below);
                    case 't', 'f', 'n' -> LiteralFrame.begin(Shape.Literal.SCALARS, b, below);
                    default -> NumberFrame.begin(Shape.Num.ANY, b, below);
                };
            case Shape.Obj object ->
                b != '{'
                        ? null
                        : State.push(object.declared() ? ObjectFrame.open(object) : MapFrame.open(object), below);
            case Shape.Arr array -> b == '[' ? State.push(ArrayFrame.open(array), below) : null;
            case Shape.Str string -> b == '"' ? State.push(StringFrame.open(string), below) : null;
            case Shape.Num number -> NumberFrame.begin(number, b, below);
            case Shape.Literal literal -> LiteralFrame.begin(literal, b, below);
            case Shape.Union union -> {
                List<State> alternatives = new ArrayList<>(union.alternatives.size());
                for (Shape alternative : union.alternatives) {
                    alternatives.add(State.push(new ValueStart(alternative, false), State.ALTERNATIVE_DONE));
                }
                yield UnionFrame.follow(alternatives, b, below);
            }
        };
    }

    /** A value of {@code shape} comes next, after at most one space when {@code space}. */
    record ValueStart(Shape shape, boolean space) implements Frame {
        @Override
        public State next(int b, State below) {
            if (b == ' ' && space) {
                return State.push(new ValueStart(shape, false), below);
            }
            return begin(shape, b, below);
        }
    }

    /**
     * An {@code anyOf} value whose alternative is not decided yet: each alternative is its own stack,
     * ending in {@link State#ALTERNATIVE_DONE}. JSON's syntax is the same for all of them, so they agree on
     * where the value ends; once one alternative is left, its stack is put in place of this frame.
     */
    record UnionFrame(List<State> alternatives) implements Frame {
        @Override
        public State next(int b, State below) {
            return follow(alternatives, b, below);
        }

        @Override
        public boolean completes(State below) {
            for (State alternative : alternatives) {
                if (State.completes(alternative)) {
                    return State.completes(below);
                }
            }
            return false;
        }

        static State follow(List<State> alternatives, int b, State below) {
            Set<State> going = new LinkedHashSet<>();
            boolean done = false;
            boolean endedBefore = false;
            for (State alternative : alternatives) {
                State next = State.step(alternative, b);
                if (next == State.ALTERNATIVE_DONE) {
                    done = true;
                } else if (next == State.ENDED_BEFORE) {
                    endedBefore = true;
                } else if (next != null) {
                    going.add(next);
                }
            }
            if (going.size() == 1) {
                return splice(going.iterator().next(), below);
            }
            if (!going.isEmpty()) {
                return State.push(new UnionFrame(List.copyOf(going)), below);
            }
            if (done) {
                return below;
            }
            return endedBefore ? State.step(below, b) : null;
        }

        /** The alternative's stack with {@code below} in place of its bottom. */
        private static State splice(State alternative, State below) {
            return alternative == State.ALTERNATIVE_DONE
                    ? below
                    : State.push(alternative.frame, splice(alternative.below, below));
        }
    }
}
