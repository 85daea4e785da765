package dev.engram.inference.gguf;

import dev.engram.inference.quant.LittleEndian;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the header of a mapped GGUF file: every length, count and offset is checked against the bytes
 * that remain before anything is allocated from it, so a hostile file fails with a clear message
 * instead of an OutOfMemoryError or a read past the end.
 */
final class GgufParser {
    static final int MAGIC = 0x46554747; // "GGUF" read little-endian
    static final long DEFAULT_ALIGNMENT = 32;
    static final String ALIGNMENT_KEY = "general.alignment";
    static final int MAX_DIMS = 4;
    static final int MAX_KEY_BYTES = 65_535;
    private static final int MAX_NESTING = 8;
    /**
     * Metadata limits far above real files (the largest arrays are vocabularies of a few hundred
     * thousand entries, the largest strings embedded tokenizer.json files of tens of MB), so a hostile
     * file cannot make the reader allocate gigabytes from a count that merely fits in the file.
     */
    static final int MAX_ARRAY_LENGTH = 1 << 22;

    static final long MAX_STRING_BYTES = 128L << 20;
    /** Name length, dimension count, type and offset: a tensor info takes at least this. */
    private static final int MIN_TENSOR_INFO = 8 + 4 + 4 + 8;
    /** Key length, value type and the smallest value. */
    private static final int MIN_KEY_VALUE = 8 + 4 + 1;

    record Header(int version, Map<String, GgufValue> metadata, List<Info> tensors, long alignment, long dataOffset) {}

    record Info(String name, GgmlType type, long[] shape, long offset, long byteSize) {}

    private final MemorySegment file;
    private final long size;
    private long pos;

    private GgufParser(MemorySegment file) {
        this.file = file;
        this.size = file.byteSize();
    }

    static Header parse(MemorySegment file) {
        return new GgufParser(file).header();
    }

    private Header header() {
        if (size < 4 || file.get(LittleEndian.INT, 0) != MAGIC) {
            throw new IllegalArgumentException("not a GGUF file (no GGUF magic at the start)");
        }
        pos = 4;
        int version = u32("the version");
        if (version == 0x0200_0000 || version == 0x0300_0000) {
            throw new IllegalArgumentException("big-endian GGUF files are not supported");
        }
        if (version != 2 && version != 3) {
            throw new IllegalArgumentException(
                    "GGUF version " + Integer.toUnsignedString(version) + " is not supported (versions 2 and 3 are)");
        }
        long tensorCount = count("the tensor count", MIN_TENSOR_INFO);
        long keyValueCount = count("the metadata count", MIN_KEY_VALUE);
        Map<String, GgufValue> metadata = new LinkedHashMap<>();
        for (long i = 0; i < keyValueCount; i++) {
            String key = string("a metadata key", MAX_KEY_BYTES);
            GgufValueType type = valueType("metadata '" + key + "'");
            GgufValue value;
            try {
                value = value(type, 0);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("metadata '" + key + "': " + e.getMessage(), e);
            }
            if (metadata.put(key, value) != null) {
                throw new IllegalArgumentException("metadata key '" + key + "' appears twice");
            }
        }
        long alignment = alignment(metadata.get(ALIGNMENT_KEY));
        List<Info> infos = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (long i = 0; i < tensorCount; i++) {
            Info info = tensorInfo();
            if (!names.add(info.name())) {
                throw new IllegalArgumentException("tensor '" + info.name() + "' appears twice");
            }
            infos.add(info);
        }
        long dataOffset = align(pos, alignment);
        long dataBytes = size - Math.min(size, dataOffset);
        for (Info info : infos) {
            if (info.offset() % alignment != 0) {
                throw new IllegalArgumentException("tensor '" + info.name() + "' starts at " + info.offset()
                        + ", not a multiple of the alignment " + alignment);
            }
            if (info.offset() > dataBytes || info.byteSize() > dataBytes - info.offset()) {
                throw new IllegalArgumentException(
                        "tensor '" + info.name() + "' (" + info.byteSize() + " bytes at data offset " + info.offset()
                                + ") runs past the end of the file (" + dataBytes + " data bytes): truncated file?");
            }
        }
        return new Header(version, metadata, infos, alignment, dataOffset);
    }

    private Info tensorInfo() {
        String name = string("a tensor name", MAX_KEY_BYTES);
        int dims = u32("the dimension count of tensor '" + name + "'");
        if (dims < 0 || dims > MAX_DIMS) {
            throw new IllegalArgumentException("tensor '" + name + "' has " + Integer.toUnsignedString(dims)
                    + " dimensions (at most " + MAX_DIMS + ")");
        }
        long[] shape = new long[dims];
        long count = 1;
        for (int d = 0; d < dims; d++) {
            shape[d] = u64("a dimension of tensor '" + name + "'");
            if (shape[d] < 0) {
                throw new IllegalArgumentException(
                        "tensor '" + name + "' has an absurd dimension " + Long.toUnsignedString(shape[d]));
            }
            try {
                count = Math.multiplyExact(count, shape[d]);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("tensor '" + name + "' has more elements than a file can hold");
            }
        }
        int typeId = u32("the type of tensor '" + name + "'");
        GgmlType type;
        long byteSize;
        try {
            type = GgmlType.byId(Integer.toUnsignedLong(typeId));
            if (dims > 0 && shape[0] % type.blockSize() != 0) {
                throw new IllegalArgumentException("its rows of " + shape[0] + " values do not fill whole " + type
                        + " blocks of " + type.blockSize());
            }
            byteSize = type.bytes(count);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new IllegalArgumentException("tensor '" + name + "': " + e.getMessage(), e);
        }
        long offset = u64("the offset of tensor '" + name + "'");
        if (offset < 0) {
            throw new IllegalArgumentException(
                    "tensor '" + name + "' has an absurd offset " + Long.toUnsignedString(offset));
        }
        return new Info(name, type, shape, offset, byteSize);
    }

    private GgufValue value(GgufValueType type, int depth) {
        return switch (type) {
            case UINT8 -> GgufValue.uint8(u8("a UINT8"));
            case INT8 -> GgufValue.int8(i8("an INT8"));
            case UINT16 -> GgufValue.uint16(Short.toUnsignedInt(i16("a UINT16")));
            case INT16 -> GgufValue.int16(i16("an INT16"));
            case UINT32 -> GgufValue.uint32(Integer.toUnsignedLong(u32("a UINT32")));
            case INT32 -> GgufValue.int32(u32("an INT32"));
            case UINT64 -> GgufValue.uint64(u64("a UINT64"));
            case INT64 -> GgufValue.int64(u64("an INT64"));
            case FLOAT32 -> GgufValue.float32(Float.intBitsToFloat(u32("a FLOAT32")));
            case FLOAT64 -> GgufValue.float64(Double.longBitsToDouble(u64("a FLOAT64")));
            case BOOL -> GgufValue.bool(bool());
            case STRING -> GgufValue.string(string("a string", MAX_STRING_BYTES));
            case ARRAY -> array(depth);
        };
    }

    private GgufValue array(int depth) {
        if (depth >= MAX_NESTING) {
            throw new IllegalArgumentException("arrays nested deeper than " + MAX_NESTING);
        }
        GgufValueType element = valueType("an array's element type");
        long count = count("an array's length", element.minBytes());
        if (count > MAX_ARRAY_LENGTH) {
            throw new IllegalArgumentException(
                    "an array of " + count + " elements is too long (at most " + MAX_ARRAY_LENGTH + ")");
        }
        int n = (int) count;
        return switch (element) {
            case FLOAT32 -> {
                float[] values = new float[n];
                MemorySegment.copy(file, LittleEndian.FLOAT, take(4L * n, "FLOAT32 elements"), values, 0, n);
                yield GgufValue.float32s(values);
            }
            case FLOAT64 -> {
                double[] values = new double[n];
                MemorySegment.copy(file, LittleEndian.DOUBLE, take(8L * n, "FLOAT64 elements"), values, 0, n);
                yield GgufValue.float64s(values);
            }
            case BOOL -> {
                boolean[] values = new boolean[n];
                for (int i = 0; i < n; i++) {
                    values[i] = bool();
                }
                yield GgufValue.bools(values);
            }
            case STRING -> {
                List<String> values = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    values.add(string("a string", MAX_STRING_BYTES));
                }
                yield GgufValue.strings(values);
            }
            case ARRAY -> {
                List<GgufValue> values = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    values.add(array(depth + 1)); // an array element is an array header and its values, untagged
                }
                yield GgufValue.arrays(values);
            }
            default -> {
                long[] values = new long[n];
                for (int i = 0; i < n; i++) {
                    values[i] = integer(element);
                }
                yield GgufValue.integers(element, values);
            }
        };
    }

    private long integer(GgufValueType type) {
        return switch (type) {
            case UINT8 -> u8("a UINT8");
            case INT8 -> i8("an INT8");
            case UINT16 -> Short.toUnsignedInt(i16("a UINT16"));
            case INT16 -> i16("an INT16");
            case UINT32 -> Integer.toUnsignedLong(u32("a UINT32"));
            case INT32 -> u32("an INT32");
            default -> u64("a 64-bit integer");
        };
    }

    private long alignment(GgufValue value) {
        if (value == null) {
            return DEFAULT_ALIGNMENT;
        }
        long alignment;
        try {
            alignment = value.asLong();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ALIGNMENT_KEY + " " + e.getMessage(), e);
        }
        if (alignment <= 0 || alignment > (1 << 30) || Long.bitCount(alignment) != 1) {
            throw new IllegalArgumentException(ALIGNMENT_KEY + " is " + alignment + ", not a power of two");
        }
        return alignment;
    }

    static long align(long offset, long alignment) {
        return (offset + alignment - 1) / alignment * alignment;
    }

    /** A count of items that each take at least {@code minBytes}: more than the rest of the file can hold is absurd. */
    private long count(String what, int minBytes) {
        long count = u64(what);
        if (count < 0 || count > (size - pos) / minBytes) {
            throw new IllegalArgumentException(what + " is " + Long.toUnsignedString(count) + ", more than the "
                    + (size - pos) + " remaining bytes can hold");
        }
        return count;
    }

    private String string(String what, long maxBytes) {
        long length = u64("the length of " + what);
        if (length < 0 || length > maxBytes) {
            throw new IllegalArgumentException(what + " is " + Long.toUnsignedString(length) + " bytes long");
        }
        long at = take(length, what);
        byte[] bytes = new byte[(int) length];
        MemorySegment.copy(file, ValueLayout.JAVA_BYTE, at, bytes, 0, bytes.length);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private GgufValueType valueType(String what) {
        int id = u32("the value type of " + what);
        return GgufValueType.byId(Integer.toUnsignedLong(id));
    }

    private boolean bool() {
        byte b = file.get(ValueLayout.JAVA_BYTE, take(1, "a BOOL"));
        if (b != 0 && b != 1) {
            throw new IllegalArgumentException("a BOOL holds " + b);
        }
        return b == 1;
    }

    private int u8(String what) {
        return Byte.toUnsignedInt(file.get(ValueLayout.JAVA_BYTE, take(1, what)));
    }

    private byte i8(String what) {
        return file.get(ValueLayout.JAVA_BYTE, take(1, what));
    }

    private short i16(String what) {
        return file.get(LittleEndian.SHORT, take(2, what));
    }

    private int u32(String what) {
        return file.get(LittleEndian.INT, take(4, what));
    }

    private long u64(String what) {
        return file.get(LittleEndian.LONG, take(8, what));
    }

    /** Claims the next {@code bytes} bytes and returns where they start, or fails if the file ends first. */
    private long take(long bytes, String what) {
        if (bytes < 0 || bytes > size - pos) {
            throw new IllegalArgumentException("truncated GGUF file: " + what + " needs " + bytes + " bytes at offset "
                    + pos + ", the file has " + size);
        }
        long at = pos;
        pos += bytes;
        return at;
    }
}
