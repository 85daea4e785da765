package dev.engram.inference.structured;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Whether a number being written can still end within its bounds. The numbers that extend a prefix
 * form a few intervals (one per count of digits still to come before the point), on a grid of
 * 10<sup>-{@link Shape.Num#MAX_DIGITS}</sup> (1 for integers); a prefix is allowed only while one
 * of them meets the bounds, so a bounded number can never reach a dead end.
 */
final class NumberRange {
    static final int START = 0;
    static final int SIGN = 1;
    static final int ZERO = 2;
    static final int INT = 3;
    static final int DOT = 4;
    static final int FRAC = 5;

    private static final BigDecimal FRACTION_GRID = BigDecimal.ONE.movePointLeft(Shape.Num.MAX_DIGITS);

    private NumberRange() {}

    /**
     * @param digits the digits before the point so far (null in {@link #START} and {@link #SIGN})
     * @param fraction the digits after the point so far (null before the point)
     */
    static boolean reachable(Shape.Num shape, boolean negative, String digits, String fraction, int phase) {
        if (!shape.bounded()) {
            return true;
        }
        BigDecimal grid = shape.integer ? BigDecimal.ONE : FRACTION_GRID;
        BigDecimal top = BigDecimal.TEN.pow(Shape.Num.MAX_DIGITS).subtract(grid);
        return switch (phase) {
            case START, SIGN -> meets(shape, negative, BigDecimal.ZERO, top, grid);
            case ZERO ->
                meets(
                        shape,
                        negative,
                        BigDecimal.ZERO,
                        BigDecimal.ONE.subtract(grid).max(BigDecimal.ZERO),
                        grid);
            case INT -> {
                BigDecimal d = new BigDecimal(digits);
                for (int k = 0; k <= Shape.Num.MAX_DIGITS - digits.length(); k++) {
                    BigDecimal scale = BigDecimal.TEN.pow(k);
                    if (meets(
                            shape,
                            negative,
                            d.multiply(scale),
                            d.add(BigDecimal.ONE).multiply(scale).subtract(grid),
                            grid)) {
                        yield true;
                    }
                }
                yield false;
            }
            case DOT -> {
                BigDecimal d = new BigDecimal(digits);
                yield meets(shape, negative, d, d.add(BigDecimal.ONE).subtract(grid), grid);
            }
            case FRAC -> {
                BigDecimal low = new BigDecimal(digits + "." + fraction);
                yield meets(
                        shape,
                        negative,
                        low,
                        low.add(BigDecimal.ONE.movePointLeft(fraction.length())).subtract(grid),
                        grid);
            }
            default -> throw new IllegalArgumentException("phase " + phase);
        };
    }

    /** Whether the value of a complete number text lies within the bounds. */
    static boolean within(Shape.Num shape, BigDecimal value) {
        if (shape.minimum != null) {
            int c = value.compareTo(shape.minimum);
            if (c < 0 || c == 0 && shape.minimumExclusive) {
                return false;
            }
        }
        if (shape.maximum != null) {
            int c = value.compareTo(shape.maximum);
            return c < 0 || c == 0 && !shape.maximumExclusive;
        }
        return true;
    }

    /** Whether a grid point of the magnitudes [low, high] (negated when negative) is within the bounds. */
    private static boolean meets(Shape.Num shape, boolean negative, BigDecimal low, BigDecimal high, BigDecimal grid) {
        BigDecimal from = negative ? high.negate() : low;
        BigDecimal to = negative ? low.negate() : high;
        int scale = grid.scale();
        if (shape.minimum != null) {
            BigDecimal first = shape.minimumExclusive
                    ? shape.minimum.setScale(scale, RoundingMode.FLOOR).add(grid)
                    : shape.minimum.setScale(scale, RoundingMode.CEILING);
            from = from.max(first);
        }
        if (shape.maximum != null) {
            BigDecimal last = shape.maximumExclusive
                    ? shape.maximum.setScale(scale, RoundingMode.CEILING).subtract(grid)
                    : shape.maximum.setScale(scale, RoundingMode.FLOOR);
            to = to.min(last);
        }
        return from.compareTo(to) <= 0;
    }
}
