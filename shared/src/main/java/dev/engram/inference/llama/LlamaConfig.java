package dev.engram.inference.llama;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.inference.gguf.GgufFile;
import dev.engram.inference.gguf.GgufValue;
import dev.engram.inference.gguf.GgufWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The shape of a Llama-family transformer (Llama 2/3, Mistral, Qwen2): what an engine needs besides
 * the weights, read from a Hugging Face {@code config.json} or from GGUF metadata ({@code llama.*} /
 * {@code qwen2.*}), and written as GGUF metadata the way llama.cpp reads it.
 *
 * @param architecture     GGUF architecture: {@code llama} (also Mistral) or {@code qwen2}
 * @param embeddingLength  hidden size
 * @param feedForwardLength FFN inner size
 * @param blockCount       layers
 * @param headCount        query heads
 * @param headCountKv      key/value heads (grouped-query attention when fewer)
 * @param headDim          values per head (rope is applied over all of them)
 * @param vocabSize        rows of the embedding matrix
 * @param contextLength    the longest sequence the model was trained for
 * @param rmsNormEpsilon   RMSNorm epsilon
 * @param ropeTheta        RoPE frequency base
 * @param ropeScaling      RoPE scaling, or null
 * @param tiedEmbeddings   whether the output head is the embedding matrix
 */
public record LlamaConfig(
        String architecture,
        int embeddingLength,
        int feedForwardLength,
        int blockCount,
        int headCount,
        int headCountKv,
        int headDim,
        int vocabSize,
        int contextLength,
        float rmsNormEpsilon,
        float ropeTheta,
        RopeScaling ropeScaling,
        boolean tiedEmbeddings) {

    /**
     * RoPE scaling: {@code linear} (positions divided by {@code factor}) or {@code llama3} (Llama 3.1's
     * per-frequency factors, which GGUF stores as the tensor {@code rope_freqs.weight}).
     */
    public record RopeScaling(
            String type, float factor, float lowFreqFactor, float highFreqFactor, int originalContextLength) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    public LlamaConfig {
        for (int value : new int[] {
            embeddingLength, feedForwardLength, blockCount, headCount, headCountKv, headDim, vocabSize, contextLength
        }) {
            if (value <= 0) {
                throw new IllegalArgumentException("model sizes must be positive: " + value);
            }
        }
        if (headCount % headCountKv != 0) {
            throw new IllegalArgumentException(
                    headCount + " query heads do not share " + headCountKv + " key/value heads evenly");
        }
        if (headDim % 2 != 0) {
            throw new IllegalArgumentException("head size " + headDim + " is odd; RoPE rotates pairs");
        }
    }

    /** Reads {@code config.json} in {@code dir}; other model types and missing sizes are refused by name. */
    public static LlamaConfig fromHuggingFace(Path dir) throws IOException {
        Path file = dir.resolve("config.json");
        if (!Files.isRegularFile(file) || Files.size(file) > 1 << 20) {
            throw new IllegalArgumentException("no config.json (of at most 1 MB) in " + dir);
        }
        JsonNode config;
        try {
            config = JSON.readTree(file.toFile());
        } catch (JacksonException e) {
            throw new IllegalArgumentException("config.json is malformed: " + e.getOriginalMessage(), e);
        }
        String modelType = config.path("model_type").asText("");
        String architecture = switch (modelType) {
            case "llama", "mistral" -> "llama";
            case "qwen2" -> "qwen2";
            default ->
                throw new IllegalArgumentException(
                        "config.json model_type '" + modelType + "' is not supported (llama, mistral, qwen2)");
        };
        int hidden = positive(config, "hidden_size");
        int heads = positive(config, "num_attention_heads");
        int kvHeads = config.has("num_key_value_heads") ? positive(config, "num_key_value_heads") : heads;
        int headDim = config.path("head_dim").canConvertToInt()
                        && config.path("head_dim").asInt() > 0
                ? config.path("head_dim").asInt()
                : hidden / heads;
        return new LlamaConfig(
                architecture,
                hidden,
                positive(config, "intermediate_size"),
                positive(config, "num_hidden_layers"),
                heads,
                kvHeads,
                headDim,
                positive(config, "vocab_size"),
                positive(config, "max_position_embeddings"),
                (float) config.path("rms_norm_eps").asDouble(1e-6),
                (float) config.path("rope_theta").asDouble(10_000),
                ropeScaling(config.path("rope_scaling")),
                config.path("tie_word_embeddings").asBoolean(false));
    }

    private static RopeScaling ropeScaling(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        String type = node.path("rope_type").asText(node.path("type").asText(""));
        return switch (type) {
            case "default" -> null;
            case "linear" -> new RopeScaling(type, (float) node.path("factor").asDouble(1), 0, 0, 0);
            case "llama3" ->
                new RopeScaling(
                        type,
                        (float) node.path("factor").asDouble(8),
                        (float) node.path("low_freq_factor").asDouble(1),
                        (float) node.path("high_freq_factor").asDouble(4),
                        node.path("original_max_position_embeddings").asInt(8192));
            default ->
                throw new IllegalArgumentException(
                        "rope_scaling type '" + type + "' is not supported (linear, llama3)");
        };
    }

    private static int positive(JsonNode config, String key) {
        JsonNode value = config.get(key);
        if (value == null || !value.canConvertToInt() || value.asInt() <= 0) {
            throw new IllegalArgumentException("config.json needs a positive integer '" + key + "', has " + value);
        }
        return value.asInt();
    }

    /** Reads the {@code <arch>.*} metadata of a GGUF file (missing keys are refused with the key named). */
    public static LlamaConfig fromGguf(GgufFile file) {
        String arch = file.getString("general.architecture");
        if (!arch.equals("llama") && !arch.equals("qwen2")) {
            throw new IllegalArgumentException(
                    file.path().getFileName() + ": architecture '" + arch + "' is not supported (llama, qwen2)");
        }
        String p = arch + ".";
        int hidden = file.getInt(p + "embedding_length");
        int heads = file.getInt(p + "attention.head_count");
        int vocab = file.has(p + "vocab_size")
                ? file.getInt(p + "vocab_size")
                : file.getStrings("tokenizer.ggml.tokens").size();
        RopeScaling scaling = file.findString(p + "rope.scaling.type")
                .filter("linear"::equals)
                .map(t -> new RopeScaling(t, file.getFloat(p + "rope.scaling.factor"), 0, 0, 0))
                .orElse(null);
        return new LlamaConfig(
                arch,
                hidden,
                file.getInt(p + "feed_forward_length"),
                file.getInt(p + "block_count"),
                heads,
                file.intOr(p + "attention.head_count_kv", heads),
                file.intOr(p + "attention.key_length", hidden / heads),
                vocab,
                file.getInt(p + "context_length"),
                file.getFloat(p + "attention.layer_norm_rms_epsilon"),
                file.floatOr(p + "rope.freq_base", 10_000),
                scaling,
                file.findTensor("output.weight").isEmpty());
    }

    /** Writes the {@code <arch>.*} metadata as llama.cpp reads it. */
    public void writeGguf(GgufWriter writer) {
        String p = architecture + ".";
        writer.putUint32(p + "context_length", contextLength);
        writer.putUint32(p + "embedding_length", embeddingLength);
        writer.putUint32(p + "block_count", blockCount);
        writer.putUint32(p + "feed_forward_length", feedForwardLength);
        writer.putUint32(p + "attention.head_count", headCount);
        writer.putUint32(p + "attention.head_count_kv", headCountKv);
        writer.putFloat32(p + "attention.layer_norm_rms_epsilon", rmsNormEpsilon);
        writer.putFloat32(p + "rope.freq_base", ropeTheta);
        writer.putUint32(p + "rope.dimension_count", headDim);
        writer.putUint32(p + "vocab_size", vocabSize);
        if (headDim * headCount != embeddingLength) {
            writer.putUint32(p + "attention.key_length", headDim);
            writer.putUint32(p + "attention.value_length", headDim);
        }
        if (ropeScaling != null && ropeScaling.type().equals("linear")) {
            writer.putString(p + "rope.scaling.type", "linear");
            writer.put(p + "rope.scaling.factor", GgufValue.float32(ropeScaling.factor()));
        }
    }

    /** Llama 3.1's RoPE factors per frequency (head_dim / 2 values), or empty without llama3 scaling. */
    public Optional<float[]> ropeFactors() {
        if (ropeScaling == null || !ropeScaling.type().equals("llama3")) {
            return Optional.empty();
        }
        RopeScaling s = ropeScaling;
        double lowFreqWavelength = s.originalContextLength() / s.lowFreqFactor();
        double highFreqWavelength = s.originalContextLength() / s.highFreqFactor();
        float[] factors = new float[headDim / 2];
        for (int i = 0; i < factors.length; i++) {
            double frequency = 1.0 / Math.pow(ropeTheta, 2.0 * i / headDim);
            double wavelength = 2 * Math.PI / frequency;
            if (wavelength < highFreqWavelength) {
                factors[i] = 1;
            } else if (wavelength > lowFreqWavelength) {
                factors[i] = s.factor();
            } else {
                double smooth = (s.originalContextLength() / wavelength - s.lowFreqFactor())
                        / (s.highFreqFactor() - s.lowFreqFactor());
                factors[i] = (float) (1 / ((1 - smooth) / s.factor() + smooth));
            }
        }
        return Optional.of(factors);
    }

    /** Whether the Q and K rows are stored in GGUF's interleaved-pair order, permuted from Hugging Face's halves (llama, not qwen2). */
    public boolean permutesQueryKey() {
        return architecture.equals("llama");
    }

    /** Width of the key and value projections. */
    public int kvDim() {
        return headCountKv * headDim;
    }

    /** Width of the query projection (differs from the hidden size when head_dim says so). */
    public int queryDim() {
        return headCount * headDim;
    }
}
