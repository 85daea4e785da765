package dev.engram.inference.safetensors;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.engram.inference.quant.LittleEndian;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One open {@code .safetensors} file: an 8-byte little-endian header length, a JSON header naming
 * each tensor's dtype, shape and byte range, then the data, memory-mapped read-only (no copies, any
 * size). {@link #open} refuses a file whose header is malformed or points outside the file with an
 * {@link IllegalArgumentException}; tensor data is readable from any thread until {@link #close()}.
 */
public final class SafetensorsFile implements AutoCloseable {
    /** The format's own limit on the JSON header. */
    static final long MAX_HEADER_BYTES = 100L << 20;

    private static final int MAX_DIMS = 16;
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final Path path;
    private final Arena arena;
    private final Map<String, String> metadata;
    private final Map<String, SafetensorsTensor> tensors;

    private SafetensorsFile(
            Path path, Arena arena, Map<String, String> metadata, Map<String, SafetensorsTensor> tensors) {
        this.path = path;
        this.arena = arena;
        this.metadata = metadata;
        this.tensors = tensors;
    }

    /** Opens and maps {@code path}; a malformed file is refused with an IllegalArgumentException. */
    public static SafetensorsFile open(Path path) throws IOException {
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment file = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena)
                    .asReadOnly();
            Map<String, String> metadata = new LinkedHashMap<>();
            Map<String, SafetensorsTensor> tensors = new LinkedHashMap<>();
            try {
                parse(file, metadata, tensors);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(path.getFileName() + ": " + e.getMessage(), e);
            }
            return new SafetensorsFile(
                    path, arena, Collections.unmodifiableMap(metadata), Collections.unmodifiableMap(tensors));
        } catch (IOException | RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    private static void parse(
            MemorySegment file, Map<String, String> metadata, Map<String, SafetensorsTensor> tensors) {
        long size = file.byteSize();
        if (size < 8) {
            throw new IllegalArgumentException("not a safetensors file (" + size + " bytes)");
        }
        long headerLength = file.get(LittleEndian.LONG, 0);
        if (headerLength < 2 || headerLength > MAX_HEADER_BYTES || headerLength > size - 8) {
            throw new IllegalArgumentException("the header length is " + Long.toUnsignedString(headerLength)
                    + " bytes, but the file has " + size + " (at most " + MAX_HEADER_BYTES + " allowed)");
        }
        JsonNode header;
        try {
            header = JSON.readTree(file.asSlice(8, headerLength).toArray(ValueLayout.JAVA_BYTE));
        } catch (JacksonException e) {
            throw new IllegalArgumentException("the JSON header is malformed: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("the JSON header is unreadable: " + e.getMessage(), e);
        }
        if (header == null || !header.isObject()) {
            throw new IllegalArgumentException("the header is not a JSON object");
        }
        long dataStart = 8 + headerLength;
        long dataSize = size - dataStart;
        for (Map.Entry<String, JsonNode> entry : header.properties()) {
            String name = entry.getKey();
            JsonNode node = entry.getValue();
            if (name.equals("__metadata__")) {
                readMetadata(node, metadata);
                continue;
            }
            if (!node.isObject()) {
                throw new IllegalArgumentException("tensor '" + name + "' is not described by a JSON object");
            }
            SafetensorsDtype dtype;
            try {
                dtype = SafetensorsDtype.named(node.path("dtype").asText(""));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("tensor '" + name + "': " + e.getMessage(), e);
            }
            long[] shape = longs(node.get("shape"), name, "shape", MAX_DIMS);
            long[] offsets = longs(node.get("data_offsets"), name, "data_offsets", 2);
            if (offsets.length != 2 || offsets[0] > offsets[1] || offsets[1] > dataSize) {
                throw new IllegalArgumentException("tensor '" + name + "' has data_offsets " + Arrays.toString(offsets)
                        + " outside the " + dataSize + " data bytes: truncated file?");
            }
            long count = 1;
            for (long d : shape) {
                count = multiply(count, d, name);
            }
            long bytes = multiply(count, dtype.bytes(), name);
            if (bytes != offsets[1] - offsets[0]) {
                throw new IllegalArgumentException("tensor '" + name + "' is " + dtype + " " + Arrays.toString(shape)
                        + " (" + bytes + " bytes) but its data_offsets span " + (offsets[1] - offsets[0]) + " bytes");
            }
            tensors.put(name, new SafetensorsTensor(name, dtype, shape, file.asSlice(dataStart + offsets[0], bytes)));
        }
    }

    private static void readMetadata(JsonNode node, Map<String, String> metadata) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("__metadata__ is not a JSON object");
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            if (!entry.getValue().isTextual()) {
                throw new IllegalArgumentException("__metadata__ '" + entry.getKey() + "' is not a string");
            }
            metadata.put(entry.getKey(), entry.getValue().asText());
        }
    }

    private static long[] longs(JsonNode node, String tensor, String field, int maxLength) {
        if (node == null || !node.isArray() || node.size() > maxLength) {
            throw new IllegalArgumentException("tensor '" + tensor + "' has no valid " + field
                    + " (an array of at most " + maxLength + " integers)");
        }
        long[] values = new long[node.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode value = node.get(i);
            if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0) {
                throw new IllegalArgumentException(
                        "tensor '" + tensor + "' has " + field + " entry " + value + ", not a non-negative integer");
            }
            values[i] = value.asLong();
        }
        return values;
    }

    private static long multiply(long a, long b, String tensor) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("tensor '" + tensor + "' has more elements than a file can hold");
        }
    }

    public Path path() {
        return path;
    }

    /** The string metadata of the header ({@code __metadata__}), possibly empty. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Tensor names in header order. */
    public List<String> names() {
        return List.copyOf(tensors.keySet());
    }

    public Optional<SafetensorsTensor> find(String name) {
        return Optional.ofNullable(tensors.get(name));
    }

    /** The tensor called {@code name}, or an IllegalArgumentException naming it. */
    public SafetensorsTensor tensor(String name) {
        return find(name)
                .orElseThrow(() -> new IllegalArgumentException(path.getFileName() + " has no tensor '" + name + "'"));
    }

    /** Unmaps the file: tensor data read afterwards throws IllegalStateException. */
    @Override
    public void close() {
        arena.close();
    }
}
