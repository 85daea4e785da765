package dev.engram.inference.safetensors;

import dev.engram.inference.quant.RowFormat;
import java.util.Optional;

/**
 * The element types a safetensors header may name, with their sizes, so every tensor's extent can be
 * checked; {@link #rowFormat()} says which of them this project decodes (F32, F16, BF16).
 */
public enum SafetensorsDtype {
    BOOL(1),
    U8(1),
    I8(1),
    F8_E5M2(1),
    F8_E4M3(1),
    I16(2),
    U16(2),
    F16(2),
    BF16(2),
    I32(4),
    U32(4),
    F32(4),
    I64(8),
    U64(8),
    F64(8);

    private final int bytes;

    SafetensorsDtype(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** How this type's values are decoded here, or empty when they are not. */
    public Optional<RowFormat> rowFormat() {
        return switch (this) {
            case F32 -> Optional.of(RowFormat.F32);
            case F16 -> Optional.of(RowFormat.F16);
            case BF16 -> Optional.of(RowFormat.BF16);
            default -> Optional.empty();
        };
    }

    /** The dtype spelled {@code name} in a header; an unknown spelling is refused with the name. */
    public static SafetensorsDtype named(String name) {
        for (SafetensorsDtype dtype : values()) {
            if (dtype.name().equals(name)) {
                return dtype;
            }
        }
        throw new IllegalArgumentException("unknown dtype '" + name + "'");
    }
}
