package dev.engram.inference.gguf;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One GGUF metadata value: its type and its Java value. Integers of every width are held as a
 * {@code long} (a UINT64 as its raw bits), FLOAT32 as {@code Float}, FLOAT64 as {@code Double}; an
 * array as a primitive array ({@code long[]} for integers, {@code float[]}, {@code double[]},
 * {@code boolean[]}), a {@code String[]} or a {@code GgufValue[]} for arrays of arrays, with its
 * element type. The factories check ranges; the {@code as...} accessors convert, refusing values that
 * do not fit, and never expose the internal arrays.
 */
public record GgufValue(GgufValueType type, GgufValueType elementType, Object value) {

    public GgufValue {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
        if ((type == GgufValueType.ARRAY) != (elementType != null)) {
            throw new IllegalArgumentException("an element type is given for arrays, and only for arrays");
        }
    }

    public static GgufValue uint8(int v) {
        return integer(GgufValueType.UINT8, v);
    }

    public static GgufValue int8(int v) {
        return integer(GgufValueType.INT8, v);
    }

    public static GgufValue uint16(int v) {
        return integer(GgufValueType.UINT16, v);
    }

    public static GgufValue int16(int v) {
        return integer(GgufValueType.INT16, v);
    }

    public static GgufValue uint32(long v) {
        return integer(GgufValueType.UINT32, v);
    }

    public static GgufValue int32(int v) {
        return integer(GgufValueType.INT32, v);
    }

    /** A UINT64 from its raw bits (values above Long.MAX_VALUE are negative longs). */
    public static GgufValue uint64(long v) {
        return integer(GgufValueType.UINT64, v);
    }

    public static GgufValue int64(long v) {
        return integer(GgufValueType.INT64, v);
    }

    public static GgufValue float32(float v) {
        return new GgufValue(GgufValueType.FLOAT32, null, v);
    }

    public static GgufValue float64(double v) {
        return new GgufValue(GgufValueType.FLOAT64, null, v);
    }

    public static GgufValue bool(boolean v) {
        return new GgufValue(GgufValueType.BOOL, null, v);
    }

    public static GgufValue string(String v) {
        return new GgufValue(GgufValueType.STRING, null, Objects.requireNonNull(v, "string"));
    }

    /** An array of integers of type {@code elementType}, each checked against its range. */
    public static GgufValue integers(GgufValueType elementType, long... values) {
        if (!elementType.isInteger()) {
            throw new IllegalArgumentException(elementType + " is not an integer type");
        }
        for (long v : values) {
            checkRange(elementType, v);
        }
        return new GgufValue(GgufValueType.ARRAY, elementType, values.clone());
    }

    /** An array of INT32. */
    public static GgufValue int32s(int... values) {
        return new GgufValue(
                GgufValueType.ARRAY,
                GgufValueType.INT32,
                Arrays.stream(values).asLongStream().toArray());
    }

    public static GgufValue float32s(float... values) {
        return new GgufValue(GgufValueType.ARRAY, GgufValueType.FLOAT32, values.clone());
    }

    public static GgufValue float64s(double... values) {
        return new GgufValue(GgufValueType.ARRAY, GgufValueType.FLOAT64, values.clone());
    }

    public static GgufValue bools(boolean... values) {
        return new GgufValue(GgufValueType.ARRAY, GgufValueType.BOOL, values.clone());
    }

    public static GgufValue strings(List<String> values) {
        return new GgufValue(GgufValueType.ARRAY, GgufValueType.STRING, values.toArray(String[]::new));
    }

    /** An array whose elements are arrays (of any types). */
    public static GgufValue arrays(List<GgufValue> values) {
        for (GgufValue v : values) {
            if (v.type != GgufValueType.ARRAY) {
                throw new IllegalArgumentException("an array of arrays holds arrays, not " + v.type);
            }
        }
        return new GgufValue(GgufValueType.ARRAY, GgufValueType.ARRAY, values.toArray(GgufValue[]::new));
    }

    /** The integer, refusing non-integers and a UINT64 beyond Long.MAX_VALUE. */
    public long asLong() {
        expect(type.isInteger(), "an integer");
        long v = (Long) value;
        if (type == GgufValueType.UINT64 && v < 0) {
            throw new IllegalArgumentException("is " + Long.toUnsignedString(v) + ", too large");
        }
        return v;
    }

    /** The integer, refusing values outside the int range. */
    public int asInt() {
        return toInt(asLong());
    }

    /** A FLOAT32, FLOAT64 or integer value as a double. */
    public double asDouble() {
        if (type.isInteger()) {
            return asLong();
        }
        expect(type == GgufValueType.FLOAT32 || type == GgufValueType.FLOAT64, "a number");
        return ((Number) value).doubleValue();
    }

    public float asFloat() {
        return (float) asDouble();
    }

    public boolean asBoolean() {
        expect(type == GgufValueType.BOOL, "a bool");
        return (Boolean) value;
    }

    public String asString() {
        expect(type == GgufValueType.STRING, "a string");
        return (String) value;
    }

    /** The number of elements of an array. */
    public int size() {
        expect(type == GgufValueType.ARRAY, "an array");
        return java.lang.reflect.Array.getLength(value);
    }

    public List<String> asStrings() {
        expectArray(elementType == GgufValueType.STRING, "strings");
        return List.of((String[]) value);
    }

    /** An integer array, refusing a UINT64 element beyond Long.MAX_VALUE. */
    public long[] asLongs() {
        expectArray(elementType != null && elementType.isInteger(), "integers");
        long[] values = ((long[]) value).clone();
        if (elementType == GgufValueType.UINT64) {
            for (long v : values) {
                if (v < 0) {
                    throw new IllegalArgumentException("holds " + Long.toUnsignedString(v) + ", too large");
                }
            }
        }
        return values;
    }

    /** An integer array, refusing elements outside the int range. */
    public int[] asInts() {
        long[] values = asLongs();
        int[] ints = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            ints[i] = toInt(values[i]);
        }
        return ints;
    }

    /** A FLOAT32 array (or a FLOAT64 array, rounded). */
    public float[] asFloats() {
        if (elementType == GgufValueType.FLOAT64) {
            double[] doubles = (double[]) value;
            float[] floats = new float[doubles.length];
            for (int i = 0; i < doubles.length; i++) {
                floats[i] = (float) doubles[i];
            }
            return floats;
        }
        expectArray(elementType == GgufValueType.FLOAT32, "floats");
        return ((float[]) value).clone();
    }

    public double[] asDoubles() {
        expectArray(elementType == GgufValueType.FLOAT64, "FLOAT64 values");
        return ((double[]) value).clone();
    }

    public boolean[] asBooleans() {
        expectArray(elementType == GgufValueType.BOOL, "bools");
        return ((boolean[]) value).clone();
    }

    public List<GgufValue> asArrays() {
        expectArray(elementType == GgufValueType.ARRAY, "arrays");
        return List.of((GgufValue[]) value);
    }

    /** What this value is, for error messages: {@code UINT32} or {@code ARRAY of STRING}. */
    public String describe() {
        return type == GgufValueType.ARRAY ? "ARRAY of " + elementType : type.name();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GgufValue other
                && type == other.type
                && elementType == other.elementType
                && Objects.deepEquals(value, other.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, elementType, Arrays.deepHashCode(new Object[] {value}));
    }

    @Override
    public String toString() {
        return type == GgufValueType.ARRAY ? describe() + "[" + size() + "]" : type + " " + value;
    }

    private static GgufValue integer(GgufValueType type, long v) {
        checkRange(type, v);
        return new GgufValue(type, null, v);
    }

    private static void checkRange(GgufValueType type, long v) {
        boolean fits = switch (type) {
            case UINT8 -> v >= 0 && v <= 0xFF;
            case INT8 -> v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE;
            case UINT16 -> v >= 0 && v <= 0xFFFF;
            case INT16 -> v >= Short.MIN_VALUE && v <= Short.MAX_VALUE;
            case UINT32 -> v >= 0 && v <= 0xFFFF_FFFFL;
            case INT32 -> v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE;
            default -> true;
        };
        if (!fits) {
            throw new IllegalArgumentException(v + " is out of range for " + type);
        }
    }

    private static int toInt(long v) {
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("holds " + v + ", beyond the int range");
        }
        return (int) v;
    }

    private void expect(boolean ok, String what) {
        if (!ok) {
            throw new IllegalArgumentException("is " + describe() + ", not " + what);
        }
    }

    private void expectArray(boolean ok, String what) {
        expect(type == GgufValueType.ARRAY && ok, "an array of " + what);
    }
}
