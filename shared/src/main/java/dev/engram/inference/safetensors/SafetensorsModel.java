package dev.engram.inference.safetensors;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The weights of a Hugging Face model directory: {@code model.safetensors}, or the shards that
 * {@code model.safetensors.index.json} names, seen as one set of tensors. Shard names must be plain
 * file names inside the directory; every tensor the index lists must be in the shard it names.
 */
public final class SafetensorsModel implements AutoCloseable {
    public static final String SINGLE_FILE = "model.safetensors";
    public static final String INDEX_FILE = "model.safetensors.index.json";

    private final List<SafetensorsFile> files;
    private final Map<String, SafetensorsTensor> tensors;

    private SafetensorsModel(List<SafetensorsFile> files, Map<String, SafetensorsTensor> tensors) {
        this.files = files;
        this.tensors = tensors;
    }

    /** Opens the weights of {@code dir}; a missing, malformed or inconsistent set is refused with an IllegalArgumentException. */
    public static SafetensorsModel open(Path dir) throws IOException {
        Path index = dir.resolve(INDEX_FILE);
        if (Files.isRegularFile(index)) {
            return sharded(dir, index);
        }
        Path single = dir.resolve(SINGLE_FILE);
        if (!Files.isRegularFile(single)) {
            throw new IllegalArgumentException("no " + SINGLE_FILE + " or " + INDEX_FILE + " in " + dir);
        }
        SafetensorsFile file = SafetensorsFile.open(single);
        Map<String, SafetensorsTensor> tensors = new LinkedHashMap<>();
        file.names().forEach(name -> tensors.put(name, file.tensor(name)));
        return new SafetensorsModel(List.of(file), Collections.unmodifiableMap(tensors));
    }

    private static SafetensorsModel sharded(Path dir, Path index) throws IOException {
        Map<String, String> weightMap = weightMap(index);
        Map<String, SafetensorsFile> shards = new LinkedHashMap<>();
        try {
            Map<String, SafetensorsTensor> tensors = new LinkedHashMap<>();
            for (String shardName : new LinkedHashSet<>(weightMap.values())) {
                SafetensorsFile shard = SafetensorsFile.open(shard(dir, shardName));
                shards.put(shardName, shard);
                for (String name : shard.names()) {
                    if (tensors.put(name, shard.tensor(name)) != null) {
                        throw new IllegalArgumentException("tensor '" + name + "' is in more than one shard");
                    }
                }
            }
            weightMap.forEach((name, shardName) -> {
                if (shards.get(shardName).find(name).isEmpty()) {
                    throw new IllegalArgumentException(
                            INDEX_FILE + " puts tensor '" + name + "' in " + shardName + ", which does not hold it");
                }
            });
            return new SafetensorsModel(List.copyOf(shards.values()), Collections.unmodifiableMap(tensors));
        } catch (IOException | RuntimeException | Error e) {
            shards.values().forEach(SafetensorsFile::close);
            throw e;
        }
    }

    private static Map<String, String> weightMap(Path index) throws IOException {
        if (Files.size(index) > SafetensorsFile.MAX_HEADER_BYTES) {
            throw new IllegalArgumentException(
                    INDEX_FILE + " is larger than " + SafetensorsFile.MAX_HEADER_BYTES + " bytes");
        }
        JsonNode root;
        try {
            root = SafetensorsFile.JSON.readTree(index.toFile());
        } catch (JacksonException e) {
            throw new IllegalArgumentException(INDEX_FILE + " is malformed: " + e.getOriginalMessage(), e);
        }
        JsonNode map = root == null ? null : root.get("weight_map");
        if (map == null || !map.isObject() || map.isEmpty()) {
            throw new IllegalArgumentException(INDEX_FILE + " has no weight_map object");
        }
        Map<String, String> weightMap = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : map.properties()) {
            if (!entry.getValue().isTextual()) {
                throw new IllegalArgumentException(INDEX_FILE + " maps '" + entry.getKey() + "' to a non-string");
            }
            weightMap.put(entry.getKey(), entry.getValue().asText());
        }
        return weightMap;
    }

    /** A shard named by the index: a plain file name in {@code dir}, never a path that leads elsewhere. */
    private static Path shard(Path dir, String name) {
        Path file = dir.resolve(name).normalize();
        if (name.isEmpty()
                || name.contains("/")
                || name.contains("\\")
                || name.equals("..")
                || name.equals(".")
                || !dir.normalize().equals(file.getParent())) {
            throw new IllegalArgumentException(
                    INDEX_FILE + " names shard '" + name + "', which is not a file name in the model directory");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(INDEX_FILE + " names shard '" + name + "', which does not exist");
        }
        return file;
    }

    /** Tensor names, shard by shard in header order. */
    public List<String> names() {
        return List.copyOf(tensors.keySet());
    }

    public Optional<SafetensorsTensor> find(String name) {
        return Optional.ofNullable(tensors.get(name));
    }

    /** The tensor called {@code name}, or an IllegalArgumentException naming it. */
    public SafetensorsTensor tensor(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("the model has no tensor '" + name + "'"));
    }

    @Override
    public void close() {
        files.forEach(SafetensorsFile::close);
    }
}
