package dev.engram.inference.gguf;

/**
 * The types of GGUF metadata values, with their numbers in the file: the integer and float widths,
 * bool, string, and arrays (of any one of these, arrays included).
 */
public enum GgufValueType {
    UINT8(1),
    INT8(1),
    UINT16(2),
    INT16(2),
    UINT32(4),
    INT32(4),
    FLOAT32(4),
    BOOL(1),
    STRING(8),
    ARRAY(12),
    UINT64(8),
    INT64(8),
    FLOAT64(8);

    private final int minBytes;

    GgufValueType(int minBytes) {
        this.minBytes = minBytes;
    }

    /** The type's number in GGUF files (its ordinal: the file format numbers them in this order). */
    public int id() {
        return ordinal();
    }

    /** The fewest bytes one value of this type takes in a file (a string's length, an array's header). */
    int minBytes() {
        return minBytes;
    }

    /** Whether values of this type are integers. */
    public boolean isInteger() {
        return switch (this) {
            case UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64 -> true;
            default -> false;
        };
    }

    /** The type with GGUF number {@code id}. */
    public static GgufValueType byId(long id) {
        if (id < 0 || id >= values().length) {
            throw new IllegalArgumentException("unknown GGUF metadata value type " + id);
        }
        return values()[(int) id];
    }
}
