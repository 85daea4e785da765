package dev.engram.inference.gguf;

import dev.engram.inference.quant.RowFormat;
import java.util.Arrays;
import java.util.Optional;

/**
 * The tensor types of GGML (the {@code type} field of a GGUF tensor): each with its id, the number of
 * values per block and the bytes per block, so the size of any tensor can be checked even when its
 * type cannot be decoded here. {@link #rowFormat()} says which types this project decodes.
 */
public enum GgmlType {
    F32(0, 1, 4),
    F16(1, 1, 2),
    Q4_0(2, 32, 18),
    Q4_1(3, 32, 20),
    Q5_0(6, 32, 22),
    Q5_1(7, 32, 24),
    Q8_0(8, 32, 34),
    Q8_1(9, 32, 36),
    Q2_K(10, 256, 84),
    Q3_K(11, 256, 110),
    Q4_K(12, 256, 144),
    Q5_K(13, 256, 176),
    Q6_K(14, 256, 210),
    Q8_K(15, 256, 292),
    IQ2_XXS(16, 256, 66),
    IQ2_XS(17, 256, 74),
    IQ3_XXS(18, 256, 98),
    IQ1_S(19, 256, 50),
    IQ4_NL(20, 32, 18),
    IQ3_S(21, 256, 110),
    IQ2_S(22, 256, 82),
    IQ4_XS(23, 256, 136),
    I8(24, 1, 1),
    I16(25, 1, 2),
    I32(26, 1, 4),
    I64(27, 1, 8),
    F64(28, 1, 8),
    IQ1_M(29, 256, 56),
    BF16(30, 1, 2),
    TQ1_0(34, 256, 54),
    TQ2_0(35, 256, 66),
    MXFP4(39, 32, 17),
    NVFP4(40, 64, 36);

    private static final GgmlType[] BY_ID = new GgmlType[64];

    static {
        for (GgmlType type : values()) {
            BY_ID[type.id] = type;
        }
    }

    private final int id;
    private final int blockSize;
    private final int blockBytes;

    GgmlType(int id, int blockSize, int blockBytes) {
        this.id = id;
        this.blockSize = blockSize;
        this.blockBytes = blockBytes;
    }

    /** The type's number in GGUF files. */
    public int id() {
        return id;
    }

    /** Values per block (1 for the plain number types). */
    public int blockSize() {
        return blockSize;
    }

    /** Bytes per block. */
    public int blockBytes() {
        return blockBytes;
    }

    /** The type with GGUF number {@code id}; an unknown number is refused with the number named. */
    public static GgmlType byId(long id) {
        GgmlType type = id >= 0 && id < BY_ID.length ? BY_ID[(int) id] : null;
        if (type == null) {
            throw new IllegalArgumentException("unknown GGML tensor type " + id);
        }
        return type;
    }

    /** The GGML type that stores rows as {@code format} does. */
    public static GgmlType of(RowFormat format) {
        return valueOf(format.name());
    }

    /** How rows of this type are decoded here, or empty for the types this project cannot decode. */
    public Optional<RowFormat> rowFormat() {
        return Arrays.stream(RowFormat.values())
                .filter(f -> f.name().equals(name()))
                .findFirst();
    }

    /** Bytes of {@code count} values; the count must fill whole blocks. */
    public long bytes(long count) {
        if (count < 0 || count % blockSize != 0) {
            throw new IllegalArgumentException(
                    name() + " stores whole blocks of " + blockSize + " values; " + count + " values do not fill them");
        }
        return Math.multiplyExact(count / blockSize, (long) blockBytes);
    }
}
