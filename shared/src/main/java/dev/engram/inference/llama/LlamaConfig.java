package dev.engram.inference.llama;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The shape of a Llama-family transformer (Llama 2 and 3.x, Mistral, Qwen2, and the tiny
 * stories260K): what the forward pass needs to know, read from a Hugging Face {@code config.json} or
 * from a GGUF file's metadata.
 *
 * @param ropeStyle how query and key dimensions are paired for rotary embeddings: Hugging Face
 *     checkpoints pair dimension i with i + headSize/2, GGUF's llama layout pairs neighbours
 * @param ropeScale per frequency, the factor its wavelength is stretched by (Llama 3.1+ long-context
 *     scaling); null when frequencies are not scaled
 */
public record LlamaConfig(
        String architecture,
        int dim,
        int hiddenDim,
        int layers,
        int heads,
        int kvHeads,
        int headSize,
        int vocabularySize,
        int contextLength,
        float normEps,
        float ropeTheta,
        RopeStyle ropeStyle,
        float[] ropeScale,
        boolean attentionBias,
        int bos,
        List<Integer> eos) {

    public enum RopeStyle {
        /** Dimension i rotates with i + headSize/2 (Hugging Face's rotate-half). */
        HALVES,
        /** Dimension 2i rotates with 2i + 1 (GGUF llama, llama2.c). */
        PAIRS
    }

    public LlamaConfig {
        if (dim <= 0 || hiddenDim <= 0 || layers <= 0 || heads <= 0 || kvHeads <= 0 || headSize <= 0 || vocabularySize <= 0
                || contextLength <= 0) {
            throw new IllegalArgumentException("model shape has a non-positive size");
        }
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException(heads + " attention heads cannot share " + kvHeads + " key/value heads evenly");
        }
        if (headSize % 2 != 0) {
            throw new IllegalArgumentException("head size " + headSize + " is odd; rotary embeddings pair dimensions");
        }
        eos = List.copyOf(eos);
    }

    /** Width of the key and value projections. */
    public int kvDim() {
        return kvHeads * headSize;
    }

    /** Width of the query projection (may differ from {@link #dim} when head_dim is given). */
    public int queryDim() {
        return heads * headSize;
    }

    /** Families whose checkpoints this engine runs: the rest go to the Jlama fallback. */
    public static boolean supports(String modelType) {
        return switch (modelType) {
            case "llama", "mistral", "qwen2" -> true;
            default -> false;
        };
    }

    /** From a Hugging Face {@code config.json}. */
    public static LlamaConfig fromHuggingFace(JsonNode config) {
        String type = config.path("model_type").asText("llama");
        if (!supports(type)) {
            throw new IllegalArgumentException("model_type '" + type + "' is not a Llama-family model");
        }
        int dim = required(config, "hidden_size");
        int heads = required(config, "num_attention_heads");
        int kvHeads = config.path("num_key_value_heads").asInt(heads);
        int headSize = config.hasNonNull("head_dim") ? config.get("head_dim").asInt() : dim / heads;
        int context = config.path("max_position_embeddings").asInt(2048);
        float theta = (float) config.path("rope_theta").asDouble(10000);
        List<Integer> eos = new ArrayList<>();
        JsonNode eosNode = config.path("eos_token_id");
        if (eosNode.isArray()) {
            eosNode.forEach(e -> eos.add(e.asInt()));
        } else if (eosNode.isNumber()) {
            eos.add(eosNode.asInt());
        }
        String act = config.path("hidden_act").asText("silu");
        if (!act.equals("silu")) {
            throw new IllegalArgumentException("hidden_act '" + act + "' is not supported (only silu)");
        }
        return new LlamaConfig(type, dim, required(config, "intermediate_size"), required(config, "num_hidden_layers"), heads,
                kvHeads, headSize, required(config, "vocab_size"), context, (float) config.path("rms_norm_eps").asDouble(1e-5),
                theta, RopeStyle.HALVES, ropeScale(config.path("rope_scaling"), headSize, theta),
                config.path("attention_bias").asBoolean(type.equals("qwen2")), config.path("bos_token_id").asInt(-1), eos);
    }

    private static int required(JsonNode config, String key) {
        JsonNode value = config.get(key);
        if (value == null || !value.canConvertToInt()) {
            throw new IllegalArgumentException("config.json has no integer '" + key + "'");
        }
        return value.asInt();
    }

    /**
     * Llama 3.1's frequency scaling: long wavelengths are stretched by {@code factor}, short ones kept,
     * and those between blended. Other scaling types are refused rather than run wrong.
     */
    static float[] ropeScale(JsonNode scaling, int headSize, float theta) {
        if (scaling.isMissingNode() || scaling.isNull()) {
            return null;
        }
        String type = scaling.path("rope_type").asText(scaling.path("type").asText(""));
        if (!type.equals("llama3")) {
            throw new IllegalArgumentException("rope_scaling type '" + type + "' is not supported (only llama3)");
        }
        double factor = scaling.path("factor").asDouble(8);
        double low = scaling.path("low_freq_factor").asDouble(1);
        double high = scaling.path("high_freq_factor").asDouble(4);
        double original = scaling.path("original_max_position_embeddings").asDouble(8192);
        double lowWavelength = original / low;
        double highWavelength = original / high;
        float[] scale = new float[headSize / 2];
        for (int i = 0; i < scale.length; i++) {
            double frequency = Math.pow(theta, -2.0 * i / headSize);
            double wavelength = 2 * Math.PI / frequency;
            if (wavelength < highWavelength) {
                scale[i] = 1;
            } else if (wavelength > lowWavelength) {
                scale[i] = (float) factor;
            } else {
                double smooth = (original / wavelength - low) / (high - low);
                scale[i] = (float) (1 / ((1 - smooth) / factor + smooth));
            }
        }
        return scale;
    }
}
