package dev.engram.inference.structured;

/**
 * An array: elements of {@code shape.items}, a comma only while fewer than maxItems were written,
 * the closing bracket only once minItems were.
 *
 * @param count elements written so far (the one being written included, while below it)
 */
record ArrayFrame(Shape.Arr shape, boolean open, int count) implements Frame {

    static ArrayFrame open(Shape.Arr shape) {
        return new ArrayFrame(shape, true, 0);
    }

    @Override
    public State next(int b, State below) {
        if (open) {
            if (b == ']') {
                return shape.minItems == 0 ? below : null;
            }
            return shape.maxItems == 0 ? null : State.begin(shape.items, new ArrayFrame(shape, false, 1), below, b);
        }
        if (b == ',' && count < shape.maxItems) {
            return State.push(
                    new Values.ValueStart(shape.items, true),
                    State.push(new ArrayFrame(shape, false, count + 1), below));
        }
        return b == ']' && count >= shape.minItems ? below : null;
    }
}
