package dev.engram.inference.structured;

import java.math.BigDecimal;

/**
 * A number: {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?} with at most {@link Shape.Num#MAX_DIGITS} digits on
 * either side of the point (no exponent, no point for integers), each digit allowed only while the
 * bounds can still be met. It ends at the first byte that is not part of it, which it passes on.
 */
record NumberFrame(Shape.Num shape, boolean negative, String digits, String fraction, int phase) implements Frame {

    static State begin(Shape.Num shape, int b, State below) {
        if (b == '-') {
            return checked(new NumberFrame(shape, true, null, null, NumberRange.SIGN), below);
        }
        return b >= '0' && b <= '9' ? firstDigit(shape, false, b, below) : null;
    }

    private static State firstDigit(Shape.Num shape, boolean negative, int b, State below) {
        return checked(
                new NumberFrame(
                        shape, negative, String.valueOf((char) b), null, b == '0' ? NumberRange.ZERO : NumberRange.INT),
                below);
    }

    private static State checked(NumberFrame frame, State below) {
        return NumberRange.reachable(frame.shape, frame.negative, frame.digits, frame.fraction, frame.phase)
                ? State.push(frame, below)
                : null;
    }

    @Override
    public State next(int b, State below) {
        if (b >= '0' && b <= '9') {
            return switch (phase) {
                case NumberRange.SIGN -> firstDigit(shape, true, b, below);
                case NumberRange.INT ->
                    digits.length() < Shape.Num.MAX_DIGITS
                            ? checked(new NumberFrame(shape, negative, digits + (char) b, null, NumberRange.INT), below)
                            : null;
                case NumberRange.DOT ->
                    checked(
                            new NumberFrame(shape, negative, digits, String.valueOf((char) b), NumberRange.FRAC),
                            below);
                case NumberRange.FRAC ->
                    fraction.length() < Shape.Num.MAX_DIGITS
                            ? checked(
                                    new NumberFrame(shape, negative, digits, fraction + (char) b, NumberRange.FRAC),
                                    below)
                            : null;
                default -> null;
            };
        }
        if (b == '.' && !shape.integer && (phase == NumberRange.ZERO || phase == NumberRange.INT)) {
            return checked(new NumberFrame(shape, negative, digits, null, NumberRange.DOT), below);
        }
        return ended() ? State.step(below, b) : null;
    }

    @Override
    public boolean completes(State below) {
        return ended() && State.completes(below);
    }

    /** Whether the number may end here: a whole number within the bounds. */
    private boolean ended() {
        if (phase != NumberRange.ZERO && phase != NumberRange.INT && phase != NumberRange.FRAC) {
            return false;
        }
        return !shape.bounded()
                || NumberRange.within(
                        shape,
                        new BigDecimal((negative ? "-" : "") + digits + (fraction == null ? "" : "." + fraction)));
    }
}
