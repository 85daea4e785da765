package dev.engram.inference.gguf;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a GGUF version 3 file: metadata in the order it was put, then tensor infos, then each
 * tensor's bytes at an aligned offset ({@code general.alignment}, 32 by default). Tensor bytes come
 * from a callback that fills the tensor's region of the memory-mapped output, so a model of any size
 * is written without being held in memory, and a callback may fill its region from several threads.
 * The file appears under its name only once complete (it is written beside it and moved).
 */
public final class GgufWriter {
    /** GGML's name limit: 63 bytes and a terminating zero. */
    private static final int MAX_TENSOR_NAME_BYTES = 63;

    /** Fills a tensor's bytes, in its GGML type's layout. */
    @FunctionalInterface
    public interface TensorBytes {
        /** Writes exactly {@code destination.byteSize()} bytes into {@code destination}. */
        void write(MemorySegment destination) throws IOException;
    }

    private record Pending(String name, GgmlType type, long[] shape, long byteSize, TensorBytes bytes) {}

    private final Map<String, GgufValue> metadata = new LinkedHashMap<>();
    private final Map<String, Pending> tensors = new LinkedHashMap<>();

    /** Adds a metadata entry; a key may be put once. */
    public GgufWriter put(String key, GgufValue value) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length > GgufParser.MAX_KEY_BYTES) {
            throw new IllegalArgumentException(
                    "a metadata key has 1 to " + GgufParser.MAX_KEY_BYTES + " bytes: '" + key + "'");
        }
        if (key.equals(GgufParser.ALIGNMENT_KEY)) {
            if (value.type() != GgufValueType.UINT32 || Long.bitCount(value.asLong()) != 1) {
                throw new IllegalArgumentException(key + " must be a UINT32 power of two, got " + value);
            }
        }
        if (metadata.putIfAbsent(key, value) != null) {
            throw new IllegalArgumentException("metadata key '" + key + "' is already set");
        }
        return this;
    }

    public GgufWriter putString(String key, String value) {
        return put(key, GgufValue.string(value));
    }

    public GgufWriter putUint32(String key, long value) {
        return put(key, GgufValue.uint32(value));
    }

    public GgufWriter putFloat32(String key, float value) {
        return put(key, GgufValue.float32(value));
    }

    public GgufWriter putBool(String key, boolean value) {
        return put(key, GgufValue.bool(value));
    }

    /**
     * Adds a tensor of {@code type} with {@code shape} in GGML order ({@code shape[0]} is the row
     * length, a multiple of the type's block size); {@code bytes} fills it when the file is written.
     */
    public GgufWriter addTensor(String name, GgmlType type, long[] shape, TensorBytes bytes) {
        if (name.isEmpty() || name.getBytes(StandardCharsets.UTF_8).length > MAX_TENSOR_NAME_BYTES) {
            throw new IllegalArgumentException(
                    "a tensor name has 1 to " + MAX_TENSOR_NAME_BYTES + " bytes: '" + name + "'");
        }
        if (shape.length > GgufParser.MAX_DIMS) {
            throw new IllegalArgumentException(
                    "tensor '" + name + "' has " + shape.length + " dimensions (at most " + GgufParser.MAX_DIMS + ")");
        }
        long count = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor '" + name + "' has a negative dimension");
            }
            count = Math.multiplyExact(count, d);
        }
        if (shape.length > 0 && shape[0] % type.blockSize() != 0) {
            throw new IllegalArgumentException("tensor '" + name + "': rows of " + shape[0]
                    + " values do not fill whole " + type + " blocks of " + type.blockSize());
        }
        if (tensors.putIfAbsent(name, new Pending(name, type, shape.clone(), type.bytes(count), bytes)) != null) {
            throw new IllegalArgumentException("tensor '" + name + "' is already added");
        }
        return this;
    }

    /** Writes the file to {@code target}, replacing it; nothing is left behind if a callback fails. */
    public void write(Path target) throws IOException {
        long alignment = metadata.containsKey(GgufParser.ALIGNMENT_KEY)
                ? metadata.get(GgufParser.ALIGNMENT_KEY).asLong()
                : GgufParser.DEFAULT_ALIGNMENT;
        List<Long> offsets = new ArrayList<>();
        long dataSize = 0;
        for (Pending tensor : tensors.values()) {
            offsets.add(dataSize);
            dataSize = GgufParser.align(dataSize + tensor.byteSize(), alignment);
        }
        byte[] header = header(offsets);
        long dataOffset = GgufParser.align(header.length, alignment);
        Path part = target.resolveSibling(target.getFileName() + ".part");
        try {
            try (FileChannel channel = FileChannel.open(
                            part,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.TRUNCATE_EXISTING,
                            StandardOpenOption.READ,
                            StandardOpenOption.WRITE);
                    Arena arena = Arena.ofShared()) {
                MemorySegment file = channel.map(FileChannel.MapMode.READ_WRITE, 0, dataOffset + dataSize, arena);
                MemorySegment.copy(MemorySegment.ofArray(header), 0, file, 0, header.length);
                int i = 0;
                for (Pending tensor : tensors.values()) {
                    tensor.bytes().write(file.asSlice(dataOffset + offsets.get(i++), tensor.byteSize()));
                }
                file.force();
            }
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(part);
        }
    }

    private byte[] header(List<Long> offsets) {
        HeaderBytes out = new HeaderBytes();
        out.u32(GgufParser.MAGIC);
        out.u32(3);
        out.u64(tensors.size());
        out.u64(metadata.size());
        for (Map.Entry<String, GgufValue> entry : metadata.entrySet()) {
            out.string(entry.getKey());
            out.u32(entry.getValue().type().id());
            out.value(entry.getValue());
        }
        int i = 0;
        for (Pending tensor : tensors.values()) {
            out.string(tensor.name());
            out.u32(tensor.shape().length);
            for (long d : tensor.shape()) {
                out.u64(d);
            }
            out.u32(tensor.type().id());
            out.u64(offsets.get(i++));
        }
        return out.toByteArray();
    }
}
