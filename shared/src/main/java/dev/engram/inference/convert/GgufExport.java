package dev.engram.inference.convert;

import dev.engram.inference.chat.ChatTemplate;
import dev.engram.inference.gguf.GgmlType;
import dev.engram.inference.gguf.GgufWriter;
import dev.engram.inference.llama.LlamaConfig;
import dev.engram.inference.quant.RowFormat;
import dev.engram.inference.safetensors.SafetensorsModel;
import dev.engram.inference.safetensors.SafetensorsTensor;
import dev.engram.inference.tokenizer.GgufVocabulary;
import dev.engram.inference.tokenizer.HuggingFaceVocabulary;
import dev.engram.inference.tokenizer.TokenType;
import dev.engram.inference.tokenizer.Vocabulary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongUnaryOperator;

/**
 * Converts a Hugging Face Llama-family model directory (config.json, safetensors in F32/F16/BF16,
 * tokenizer.json, tokenizer_config.json) into one GGUF file that llama.cpp loads: {@code llama} or
 * {@code qwen2} metadata, llama.cpp's tensor names, the tokenizer and chat template, and the 2-D
 * weights in the chosen type (F32, F16, BF16, Q8_0 or Q4_0; a matrix whose rows do not fill whole
 * blocks stays F16) while norms and biases stay F32. For {@code llama}, the Q and K rows are put back
 * from Hugging Face's rotate-half order into GGUF's interleaved pairs. Weights are converted row range
 * by row range straight into the mapped output, in parallel, so no model is held in memory.
 *
 * <p>{@link #main} makes it one command: {@code GgufExport <model-dir> <type> <out.gguf>}.
 */
public final class GgufExport {
    /** The types a model can be exported to, with llama.cpp's {@code general.file_type} numbers. */
    private static final Map<GgmlType, Integer> FILE_TYPES =
            Map.of(GgmlType.F32, 0, GgmlType.F16, 1, GgmlType.Q4_0, 2, GgmlType.Q8_0, 7, GgmlType.BF16, 32);

    /** What was written. */
    public record Result(Path file, long bytes, int tensors, LlamaConfig config) {}

    private GgufExport() {}

    /** Exports the model in {@code modelDir} to {@code out} with its matrices in {@code type}. */
    public static Result export(Path modelDir, GgmlType type, Path out) throws IOException {
        if (!FILE_TYPES.containsKey(type)) {
            throw new IllegalArgumentException("cannot export to " + type + " (F32, F16, BF16, Q8_0, Q4_0)");
        }
        LlamaConfig config = LlamaConfig.fromHuggingFace(modelDir);
        Vocabulary vocabulary = HuggingFaceVocabulary.read(modelDir);
        try (SafetensorsModel weights = SafetensorsModel.open(modelDir)) {
            GgufWriter writer = new GgufWriter();
            writer.putString("general.architecture", config.architecture());
            writer.putString(
                    "general.name",
                    modelDir.toAbsolutePath().normalize().getFileName().toString());
            writer.putUint32("general.file_type", FILE_TYPES.get(type));
            writer.putUint32("general.quantization_version", 2);
            LlamaConfig shaped = withVocabulary(config, weights);
            shaped.writeGguf(writer);
            GgufVocabulary.write(padded(vocabulary, shaped.vocabSize()), writer);
            ChatTemplate.fromHuggingFace(modelDir)
                    .ifPresent(t -> writer.putString("tokenizer.chat_template", t.source()));
            int tensors = addTensors(writer, weights, shaped, type);
            writer.write(out);
            return new Result(out, Files.size(out), tensors, shaped);
        }
    }

    /** The config with the vocabulary size the embedding matrix actually has. */
    private static LlamaConfig withVocabulary(LlamaConfig c, SafetensorsModel weights) {
        long rows = weights.tensor("model.embed_tokens.weight").shape()[0];
        return new LlamaConfig(
                c.architecture(),
                c.embeddingLength(),
                c.feedForwardLength(),
                c.blockCount(),
                c.headCount(),
                c.headCountKv(),
                c.headDim(),
                Math.toIntExact(rows),
                c.contextLength(),
                c.rmsNormEpsilon(),
                c.ropeTheta(),
                c.ropeScaling(),
                c.tiedEmbeddings() || weights.find("lm_head.weight").isEmpty());
    }

    /** GGUF wants one token per embedding row: ids the tokenizer does not use become unused {@code [PADn]} tokens. */
    private static Vocabulary padded(Vocabulary v, int rows) {
        if (v.size() > rows) {
            throw new IllegalArgumentException(
                    "the tokenizer has " + v.size() + " tokens but the embedding only " + rows + " rows");
        }
        if (v.size() == rows) {
            return v;
        }
        List<String> pieces = new ArrayList<>(v.pieces());
        List<TokenType> types = new ArrayList<>(v.types());
        for (int id = v.size(); id < rows; id++) {
            pieces.add("[PAD" + id + "]");
            types.add(TokenType.UNUSED);
        }
        return new Vocabulary(
                v.kind(),
                pieces,
                types,
                null,
                v.merges(),
                v.preTokenizer(),
                v.splitPattern(),
                v.ignoreMerges(),
                v.normalizeNfc(),
                v.bos(),
                v.eos(),
                v.unknown(),
                v.padding(),
                v.endTokens(),
                v.addBos(),
                v.addEos(),
                v.addSpacePrefix());
    }

    private static int addTensors(GgufWriter writer, SafetensorsModel weights, LlamaConfig c, GgmlType type) {
        Set<String> used = new HashSet<>();
        int hidden = c.embeddingLength();
        int qRows = c.headCount() * c.headDim();
        int kvRows = c.headCountKv() * c.headDim();
        TensorAdder add = (hfName, ggufName, rows, cols, permuteHeads) -> {
            SafetensorsTensor tensor = weights.tensor(hfName);
            checkShape(tensor, rows, cols);
            used.add(hfName);
            addTensor(
                    writer, ggufName, tensor, cols < 0 ? GgmlType.F32 : typeFor(type, cols), permuteHeads, c.headDim());
        };
        add.add("model.embed_tokens.weight", "token_embd.weight", c.vocabSize(), hidden, 0);
        for (int layer = 0; layer < c.blockCount(); layer++) {
            String hf = "model.layers." + layer + ".";
            String gguf = "blk." + layer + ".";
            int qHeads = c.permutesQueryKey() ? c.headCount() : 0;
            int kHeads = c.permutesQueryKey() ? c.headCountKv() : 0;
            add.add(hf + "input_layernorm.weight", gguf + "attn_norm.weight", hidden, -1, 0);
            add.add(hf + "self_attn.q_proj.weight", gguf + "attn_q.weight", qRows, hidden, qHeads);
            add.add(hf + "self_attn.k_proj.weight", gguf + "attn_k.weight", kvRows, hidden, kHeads);
            add.add(hf + "self_attn.v_proj.weight", gguf + "attn_v.weight", kvRows, hidden, 0);
            add.add(hf + "self_attn.o_proj.weight", gguf + "attn_output.weight", hidden, qRows, 0);
            for (Bias bias : List.of(
                    new Bias("q_proj", "attn_q", qRows, qHeads),
                    new Bias("k_proj", "attn_k", kvRows, kHeads),
                    new Bias("v_proj", "attn_v", kvRows, 0),
                    new Bias("o_proj", "attn_output", hidden, 0))) {
                String name = hf + "self_attn." + bias.hfName() + ".bias";
                if (weights.find(name).isPresent()) { // Qwen2 has Q/K/V biases
                    add.add(name, gguf + bias.ggufName() + ".bias", bias.length(), -1, bias.permuteHeads());
                }
            }
            add.add(hf + "post_attention_layernorm.weight", gguf + "ffn_norm.weight", hidden, -1, 0);
            add.add(hf + "mlp.gate_proj.weight", gguf + "ffn_gate.weight", c.feedForwardLength(), hidden, 0);
            add.add(hf + "mlp.up_proj.weight", gguf + "ffn_up.weight", c.feedForwardLength(), hidden, 0);
            add.add(hf + "mlp.down_proj.weight", gguf + "ffn_down.weight", hidden, c.feedForwardLength(), 0);
        }
        add.add("model.norm.weight", "output_norm.weight", hidden, -1, 0);
        if (weights.find("lm_head.weight").isPresent()) {
            add.add("lm_head.weight", "output.weight", c.vocabSize(), hidden, 0);
        }
        c.ropeFactors()
                .ifPresent(factors -> writer.addTensor(
                        "rope_freqs.weight",
                        GgmlType.F32,
                        new long[] {factors.length},
                        out -> RowFormat.F32.encode(factors, 0, factors.length, out, 0)));
        for (String name : weights.names()) {
            if (!used.contains(name) && !name.endsWith(".rotary_emb.inv_freq")) {
                throw new IllegalArgumentException("tensor '" + name + "' is not part of a " + c.architecture()
                        + " model this exporter knows; refusing to drop it");
            }
        }
        return used.size() + (c.ropeFactors().isPresent() ? 1 : 0);
    }

    private record Bias(String hfName, String ggufName, int length, int permuteHeads) {}

    @FunctionalInterface
    private interface TensorAdder {
        /** {@code cols < 0}: a vector of {@code rows} values; {@code permuteHeads > 0}: Q/K rows of that many heads, reordered. */
        void add(String hfName, String ggufName, int rows, int cols, int permuteHeads);
    }

    private static void checkShape(SafetensorsTensor tensor, int rows, int cols) {
        long[] expected = cols < 0 ? new long[] {rows} : new long[] {rows, cols};
        if (!Arrays.equals(tensor.shape(), expected)) {
            throw new IllegalArgumentException("tensor '" + tensor.name() + "' has shape "
                    + Arrays.toString(tensor.shape()) + ", config.json implies " + Arrays.toString(expected));
        }
    }

    /** The target type, or F16 for a matrix whose rows do not fill the target's blocks. */
    static GgmlType typeFor(GgmlType target, long rowLength) {
        return target.rowFormat().orElseThrow().fits(rowLength) ? target : GgmlType.F16;
    }

    private static void addTensor(
            GgufWriter writer, String name, SafetensorsTensor source, GgmlType type, int permuteHeads, int headDim) {
        long[] shape = source.shape();
        boolean vector = shape.length == 1;
        long rows = shape[0];
        int rowLength = vector ? 1 : Math.toIntExact(shape[1]);
        long[] ggufShape = vector ? new long[] {shape[0]} : new long[] {shape[1], shape[0]};
        LongUnaryOperator sourceRow = permuteHeads > 0 ? interleavedFromHalves(headDim) : LongUnaryOperator.identity();
        RowFormat from = source.rowFormat();
        RowFormat to = type.rowFormat().orElseThrow();
        writer.addTensor(name, type, ggufShape, out -> {
            // a vector is converted as a column (rows of one value) so the Q/K row order applies to a bias too
            RowFormat.convertMatrix(from, source.data(), to, out, rowLength, rows, sourceRow);
        });
    }

    /**
     * GGUF row {@code r} of a Q or K weight comes from Hugging Face row: within each head of
     * {@code headDim} rows, GGUF's pair {@code (2i, 2i+1)} is HF's {@code (i, i + headDim/2)}; the
     * inverse of the permutation Hugging Face's converter applies to Meta's weights.
     */
    static LongUnaryOperator interleavedFromHalves(int headDim) {
        int half = headDim / 2;
        return r -> {
            long head = r / headDim;
            int within = (int) (r % headDim);
            return head * headDim + (within % 2) * half + within / 2;
        };
    }

    /** {@code GgufExport <model-dir> <F32|F16|BF16|Q8_0|Q4_0> <out.gguf>}. */
    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: GgufExport <model-dir> <F32|F16|BF16|Q8_0|Q4_0> <out.gguf>");
            System.exit(2);
        }
        try {
            GgmlType type = FILE_TYPES.keySet().stream()
                    .filter(t -> t.name().equalsIgnoreCase(args[1]))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(
                            "unknown type '" + args[1] + "' (F32, F16, BF16, Q8_0, Q4_0)"));
            Result result = export(Path.of(args[0]), type, Path.of(args[2]));
            System.out.printf(
                    "wrote %s: %s %s, %d tensors, %.1f MB%n",
                    result.file(), result.config().architecture(), type, result.tensors(), result.bytes() / 1e6);
        } catch (IllegalArgumentException e) {
            System.err.println("cannot export: " + e.getMessage());
            System.exit(2);
        } catch (IOException e) {
            System.err.println("cannot export: " + e);
            System.exit(1);
        }
    }
}
