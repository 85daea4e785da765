package dev.engram.inference.safetensors;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds safetensors bytes by hand for tests. */
public final class SafetensorsFixture {
    public record Entry(String name, String dtype, long[] shape, byte[] data) {}

    private SafetensorsFixture() {}

    public static byte[] file(List<Entry> entries) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("__metadata__", Map.of("format", "pt"));
        long offset = 0;
        for (Entry e : entries) {
            header.put(
                    e.name(),
                    Map.of(
                            "dtype",
                            e.dtype(),
                            "shape",
                            e.shape(),
                            "data_offsets",
                            List.of(offset, offset + e.data().length)));
            offset += e.data().length;
        }
        try {
            return file(
                    new ObjectMapper().writeValueAsString(header),
                    entries.stream().map(Entry::data).toList());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] file(String headerJson, List<byte[]> data) {
        byte[] header = headerJson.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(8)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putLong(header.length)
                .array());
        out.writeBytes(header);
        data.forEach(out::writeBytes);
        return out.toByteArray();
    }

    public static byte[] floats(float... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            buffer.putFloat(v);
        }
        return buffer.array();
    }

    static byte[] shorts(short... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short v : values) {
            buffer.putShort(v);
        }
        return buffer.array();
    }
}
