package dev.engram.inference.quant;

/** Arithmetic shared by the block formats. */
final class Blocks {
    private Blocks() {}

    /** Blocks in {@code count} values; the count must fill whole blocks. */
    static long count(long count, int blockSize, String format) {
        if (count < 0 || count % blockSize != 0) {
            throw new IllegalArgumentException(format + " needs a multiple of " + blockSize + " values, got " + count);
        }
        return count / blockSize;
    }

    /** C's {@code roundf}: to nearest, halves away from zero (Math.round sends -2.5 to -2). */
    static int roundHalfAway(float v) {
        float magnitude = Math.abs(v);
        float floor = (float) Math.floor(magnitude);
        int rounded = (int) floor + (magnitude - floor >= 0.5f ? 1 : 0);
        return v < 0 ? -rounded : rounded;
    }
}
