package dev.engram.inference.gguf;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** The little-endian encoding of a GGUF header, built in memory (metadata is small beside tensors). */
final class HeaderBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);

    void u8(int v) {
        out.write(v);
    }

    void u16(int v) {
        out.write(v);
        out.write(v >>> 8);
    }

    void u32(int v) {
        u16(v);
        u16(v >>> 16);
    }

    void u64(long v) {
        u32((int) v);
        u32((int) (v >>> 32));
    }

    void string(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        u64(bytes.length);
        out.writeBytes(bytes);
    }

    /** A value without its type tag (the caller writes the tag where the format has one). */
    void value(GgufValue value) {
        switch (value.type()) {
            case UINT8, INT8 -> u8((int) (long) (Long) value.value());
            case UINT16, INT16 -> u16((int) (long) (Long) value.value());
            case UINT32, INT32 -> u32((int) (long) (Long) value.value());
            case UINT64, INT64 -> u64((Long) value.value());
            case FLOAT32 -> u32(Float.floatToRawIntBits((Float) value.value()));
            case FLOAT64 -> u64(Double.doubleToRawLongBits((Double) value.value()));
            case BOOL -> u8((Boolean) value.value() ? 1 : 0);
            case STRING -> string((String) value.value());
            case ARRAY -> array(value);
        }
    }

    private void array(GgufValue array) {
        GgufValueType element = array.elementType();
        u32(element.id());
        u64(array.size());
        switch (array.value()) {
            case long[] values -> {
                for (long v : values) {
                    value(new GgufValue(element, null, v));
                }
            }
            case float[] values -> {
                for (float v : values) {
                    u32(Float.floatToRawIntBits(v));
                }
            }
            case double[] values -> {
                for (double v : values) {
                    u64(Double.doubleToRawLongBits(v));
                }
            }
            case boolean[] values -> {
                for (boolean v : values) {
                    u8(v ? 1 : 0);
                }
            }
            case String[] values -> {
                for (String v : values) {
                    string(v);
                }
            }
            case GgufValue[] values -> {
                for (GgufValue v : values) {
                    array(v);
                }
            }
            default ->
                throw new IllegalStateException(
                        "unexpected array value " + array.value().getClass());
        }
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }
}
