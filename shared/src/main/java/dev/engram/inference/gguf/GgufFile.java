package dev.engram.inference.gguf;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * An open GGUF file (versions 2 and 3): its metadata, read into memory, and its tensors, whose bytes
 * stay in the memory-mapped file (read-only, no copies, files of any size). The typed getters fail
 * with an {@link IllegalArgumentException} naming the key. Tensor data is readable from any thread
 * until {@link #close()}, which unmaps it; a corrupt or truncated file is refused by {@link #open}
 * with an {@link IllegalArgumentException} that says what is wrong.
 */
public final class GgufFile implements AutoCloseable {
    private final Path path;
    private final Arena arena;
    private final int version;
    private final long alignment;
    private final long dataOffset;
    private final Map<String, GgufValue> metadata;
    private final Map<String, GgufTensor> tensors;

    private GgufFile(Path path, Arena arena, MemorySegment file, GgufParser.Header header) {
        this.path = path;
        this.arena = arena;
        this.version = header.version();
        this.alignment = header.alignment();
        this.dataOffset = header.dataOffset();
        this.metadata = Collections.unmodifiableMap(header.metadata());
        Map<String, GgufTensor> byName = new LinkedHashMap<>();
        MemorySegment readOnly = file.asReadOnly();
        for (GgufParser.Info info : header.tensors()) {
            MemorySegment data = readOnly.asSlice(dataOffset + info.offset(), info.byteSize());
            byName.put(
                    info.name(),
                    new GgufTensor(info.name(), info.type(), info.shape(), info.offset(), info.byteSize(), data));
        }
        this.tensors = Collections.unmodifiableMap(byName);
    }

    /** Opens and maps {@code path}; a file that is not valid GGUF is refused with an IllegalArgumentException. */
    public static GgufFile open(Path path) throws IOException {
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment file = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            GgufParser.Header header;
            try {
                header = GgufParser.parse(file);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(path.getFileName() + ": " + e.getMessage(), e);
            }
            return new GgufFile(path, arena, file, header);
        } catch (IOException | RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    /** The format version (2 or 3). */
    public int version() {
        return version;
    }

    /** The alignment of tensor data ({@code general.alignment}, 32 when absent). */
    public long alignment() {
        return alignment;
    }

    /** Where the data section starts in the file. */
    public long dataOffset() {
        return dataOffset;
    }

    /** All metadata, in file order. */
    public Map<String, GgufValue> metadata() {
        return metadata;
    }

    public Optional<GgufValue> find(String key) {
        return Optional.ofNullable(metadata.get(key));
    }

    public boolean has(String key) {
        return metadata.containsKey(key);
    }

    /** The value of {@code key}, or an IllegalArgumentException naming the missing key. */
    public GgufValue get(String key) {
        GgufValue value = metadata.get(key);
        if (value == null) {
            throw new IllegalArgumentException(path.getFileName() + " has no metadata key '" + key + "'");
        }
        return value;
    }

    public String getString(String key) {
        return as(key, GgufValue::asString);
    }

    public int getInt(String key) {
        return as(key, GgufValue::asInt);
    }

    public long getLong(String key) {
        return as(key, GgufValue::asLong);
    }

    public float getFloat(String key) {
        return as(key, GgufValue::asFloat);
    }

    public boolean getBool(String key) {
        return as(key, GgufValue::asBoolean);
    }

    public List<String> getStrings(String key) {
        return as(key, GgufValue::asStrings);
    }

    public int[] getInts(String key) {
        return as(key, GgufValue::asInts);
    }

    public float[] getFloats(String key) {
        return as(key, GgufValue::asFloats);
    }

    public Optional<String> findString(String key) {
        return has(key) ? Optional.of(getString(key)) : Optional.empty();
    }

    public int intOr(String key, int otherwise) {
        return has(key) ? getInt(key) : otherwise;
    }

    public float floatOr(String key, float otherwise) {
        return has(key) ? getFloat(key) : otherwise;
    }

    public boolean boolOr(String key, boolean otherwise) {
        return has(key) ? getBool(key) : otherwise;
    }

    /** The tensors, in file order. */
    public List<GgufTensor> tensors() {
        return List.copyOf(tensors.values());
    }

    public Optional<GgufTensor> findTensor(String name) {
        return Optional.ofNullable(tensors.get(name));
    }

    /** The tensor called {@code name}, or an IllegalArgumentException naming it. */
    public GgufTensor tensor(String name) {
        GgufTensor tensor = tensors.get(name);
        if (tensor == null) {
            throw new IllegalArgumentException(path.getFileName() + " has no tensor '" + name + "'");
        }
        return tensor;
    }

    /** Unmaps the file: tensor data read afterwards throws IllegalStateException. */
    @Override
    public void close() {
        arena.close();
    }

    private <T> T as(String key, Function<GgufValue, T> conversion) {
        GgufValue value = get(key);
        try {
            return conversion.apply(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(path.getFileName() + ": metadata '" + key + "' " + e.getMessage(), e);
        }
    }
}
