package dev.engram.inference.structured;

/** A string value: its text, closed once it has at least minLength characters. */
record StringFrame(Shape.Str shape, Text text) implements Frame {

    static StringFrame open(Shape.Str shape) {
        return new StringFrame(shape, Text.EMPTY);
    }

    @Override
    public State next(int b, State below) {
        // Without a maximum the count matters only up to the minimum: one state for all longer texts.
        Text next = text.next(
                b, shape.maxLength, shape.maxLength == Integer.MAX_VALUE ? shape.minLength : Integer.MAX_VALUE);
        if (next == Text.CLOSED) {
            return text.between() && text.count() >= shape.minLength ? below : null;
        }
        return next == null ? null : State.push(new StringFrame(shape, next), below);
    }
}
