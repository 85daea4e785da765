package dev.engram.inference.llama;

import dev.engram.inference.gguf.GgufFile;
import dev.engram.inference.gguf.GgufTensor;
import dev.engram.inference.kernels.F32Matrix;
import dev.engram.inference.kernels.Q4Matrix;
import dev.engram.inference.kernels.Q8Matrix;
import dev.engram.inference.kernels.WeightMatrix;
import dev.engram.inference.quant.RowFormat;
import dev.engram.inference.safetensors.SafetensorsModel;
import dev.engram.inference.safetensors.SafetensorsTensor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads a Llama-family model into the kernels' formats, from a Hugging Face directory (config.json and
 * safetensors) or from a GGUF file. Weights the kernels can use as stored (F32, Q8_0, Q4_0) are used in
 * place from the memory-mapped file; 16-bit weights, and any weights when a format is asked for, are
 * converted once at load into memory the model owns.
 */
public final class LlamaLoader {

    /** A loaded model: its shape, its rotary layout, its weights. */
    public record Loaded(LlamaConfig config, Rotary rotary, LlamaWeights weights) {}

    /** One stored tensor, whichever file it came from. */
    private record Stored(String name, RowFormat format, long rows, long rowLength, MemorySegment data) {}

    private interface Source {
        Optional<Stored> find(String name);

        default Stored get(String name) {
            return find(name).orElseThrow(() -> new IllegalArgumentException("the model has no tensor '" + name + "'"));
        }
    }

    private LlamaLoader() {}

    /**
     * Loads a Hugging Face directory. {@code format} converts every matrix to that format (F32, Q8_0 or
     * Q4_0); without it F32 weights stay F32 and 16-bit weights become Q8_0.
     */
    public static Loaded fromHuggingFace(Path dir, Optional<RowFormat> format) throws IOException {
        LlamaConfig config = LlamaConfig.fromHuggingFace(dir);
        SafetensorsModel file = SafetensorsModel.open(dir);
        Source source = name -> file.find(name).map(LlamaLoader::stored);
        String embeddings = "model.embed_tokens.weight";
        String head = source.find("lm_head.weight").isPresent() ? "lm_head.weight" : embeddings;
        return load(
                config,
                Rotary.of(config, false, config.ropeFactors().orElse(null)),
                source,
                format,
                file,
                new Names(
                        embeddings,
                        head,
                        "model.norm.weight",
                        "model.layers.%d.input_layernorm.weight",
                        "model.layers.%d.self_attn.q_proj",
                        "model.layers.%d.self_attn.k_proj",
                        "model.layers.%d.self_attn.v_proj",
                        "model.layers.%d.self_attn.o_proj.weight",
                        "model.layers.%d.post_attention_layernorm.weight",
                        "model.layers.%d.mlp.gate_proj.weight",
                        "model.layers.%d.mlp.up_proj.weight",
                        "model.layers.%d.mlp.down_proj.weight"));
    }

    /**
     * Loads the model in an open GGUF file (architecture llama or qwen2), which the weights then own;
     * {@code format} as for {@link #fromHuggingFace}.
     */
    public static Loaded fromGguf(GgufFile file, Optional<RowFormat> format) {
        try {
            LlamaConfig config = LlamaConfig.fromGguf(file);
            Source source = name -> file.findTensor(name).map(LlamaLoader::stored);
            float[] factors = source.find("rope_freqs.weight")
                    .map(LlamaLoader::floats)
                    .orElse(config.ropeFactors().orElse(null));
            // GGUF's llama layout rotates neighbouring pairs; qwen2 keeps Hugging Face's halves.
            Rotary rotary = Rotary.of(config, config.architecture().equals("llama"), factors);
            String head = source.find("output.weight").isPresent() ? "output.weight" : "token_embd.weight";
            return load(
                    config,
                    rotary,
                    source,
                    format,
                    file,
                    new Names(
                            "token_embd.weight",
                            head,
                            "output_norm.weight",
                            "blk.%d.attn_norm.weight",
                            "blk.%d.attn_q",
                            "blk.%d.attn_k",
                            "blk.%d.attn_v",
                            "blk.%d.attn_output.weight",
                            "blk.%d.ffn_norm.weight",
                            "blk.%d.ffn_gate.weight",
                            "blk.%d.ffn_up.weight",
                            "blk.%d.ffn_down.weight"));
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /** Tensor names of one file layout; query/key/value are prefixes (".weight", ".bias" appended). */
    private record Names(
            String embeddings,
            String head,
            String outputNorm,
            String attentionNorm,
            String query,
            String key,
            String value,
            String attentionOutput,
            String ffnNorm,
            String gate,
            String up,
            String down) {}

    private static Loaded load(
            LlamaConfig config,
            Rotary rotary,
            Source source,
            Optional<RowFormat> format,
            AutoCloseable file,
            Names names) {
        Arena arena = Arena.ofShared();
        AutoCloseable storage = () -> {
            arena.close();
            file.close();
        };
        try {
            Converter converter = new Converter(arena, format);
            WeightMatrix embeddings = converter.matrix(source.get(names.embeddings()));
            WeightMatrix head =
                    names.head().equals(names.embeddings()) ? embeddings : converter.matrix(source.get(names.head()));
            LlamaWeights.Layer[] layers = new LlamaWeights.Layer[config.blockCount()];
            for (int l = 0; l < layers.length; l++) {
                layers[l] = new LlamaWeights.Layer(
                        floats(source.get(names.attentionNorm().formatted(l))),
                        converter.matrix(source.get(names.query().formatted(l) + ".weight")),
                        converter.matrix(source.get(names.key().formatted(l) + ".weight")),
                        converter.matrix(source.get(names.value().formatted(l) + ".weight")),
                        source.find(names.query().formatted(l) + ".bias")
                                .map(LlamaLoader::floats)
                                .orElse(null),
                        source.find(names.key().formatted(l) + ".bias")
                                .map(LlamaLoader::floats)
                                .orElse(null),
                        source.find(names.value().formatted(l) + ".bias")
                                .map(LlamaLoader::floats)
                                .orElse(null),
                        converter.matrix(source.get(names.attentionOutput().formatted(l))),
                        floats(source.get(names.ffnNorm().formatted(l))),
                        converter.matrix(source.get(names.gate().formatted(l))),
                        converter.matrix(source.get(names.up().formatted(l))),
                        converter.matrix(source.get(names.down().formatted(l))));
            }
            LlamaWeights weights =
                    new LlamaWeights(embeddings, layers, floats(source.get(names.outputNorm())), head, storage);
            check(config, weights);
            return new Loaded(config, rotary, weights);
        } catch (RuntimeException e) {
            try {
                storage.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Every matrix has the shape the config promises, so a mislabelled file fails here, not mid-request. */
    private static void check(LlamaConfig c, LlamaWeights w) {
        expect("embeddings", w.embedding(), c.vocabSize(), c.embeddingLength());
        expect("output", w.output(), c.vocabSize(), c.embeddingLength());
        for (LlamaWeights.Layer l : w.layers()) {
            expect("query", l.query(), c.queryDim(), c.embeddingLength());
            expect("key", l.key(), c.kvDim(), c.embeddingLength());
            expect("value", l.value(), c.kvDim(), c.embeddingLength());
            expect("attention output", l.attentionOutput(), c.embeddingLength(), c.queryDim());
            expect("gate", l.gate(), c.feedForwardLength(), c.embeddingLength());
            expect("up", l.up(), c.feedForwardLength(), c.embeddingLength());
            expect("down", l.down(), c.embeddingLength(), c.feedForwardLength());
            if (l.attentionNorm().length != c.embeddingLength() || l.ffnNorm().length != c.embeddingLength()) {
                throw new IllegalArgumentException("a norm weight does not have " + c.embeddingLength() + " values");
            }
        }
    }

    private static void expect(String what, WeightMatrix m, int rows, int cols) {
        if (m.rows() != rows || m.cols() != cols) {
            throw new IllegalArgumentException("the " + what + " matrix is " + m.rows() + " x " + m.cols()
                    + ", the config says " + rows + " x " + cols);
        }
    }

    private static Stored stored(SafetensorsTensor t) {
        return new Stored(t.name(), t.rowFormat(), t.rows(), t.rowLength(), t.data());
    }

    private static Stored stored(GgufTensor t) {
        return new Stored(t.name(), t.rowFormat(), t.rows(), t.rowLength(), t.data());
    }

    private static float[] floats(Stored t) {
        long count = t.rows() * t.rowLength();
        if (count > 1 << 24) {
            throw new IllegalArgumentException("tensor '" + t.name() + "' is too large to be a norm or bias");
        }
        float[] values = new float[(int) count];
        long rowBytes = t.format().rowBytes(t.rowLength());
        for (int r = 0; r < t.rows(); r++) {
            t.format().decode(t.data(), r * rowBytes, values, (int) (r * t.rowLength()), (int) t.rowLength());
        }
        return values;
    }

    /** Puts each matrix into a format the kernels have. */
    private record Converter(Arena arena, Optional<RowFormat> format) {
        WeightMatrix matrix(Stored t) {
            if (t.rows() > Integer.MAX_VALUE || t.rowLength() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("tensor '" + t.name() + "' is too large");
            }
            int rows = (int) t.rows();
            int cols = (int) t.rowLength();
            RowFormat target = format.orElse(
                    switch (t.format()) {
                        case F32, Q8_0, Q4_0 -> t.format();
                        case F16, BF16 -> RowFormat.Q8_0;
                    });
            if (!target.fits(cols)) {
                target = RowFormat.F32; // rows not a whole number of blocks stay exact
            }
            MemorySegment data = t.data();
            if (target != t.format()) {
                data = arena.allocate(target.rowBytes(cols) * rows, 64);
                RowFormat.convertMatrix(t.format(), t.data(), target, data, cols, rows);
            }
            return switch (target) {
                case F32 -> new F32Matrix(data, rows, cols);
                case Q8_0 -> new Q8Matrix(data, rows, cols);
                case Q4_0 -> new Q4Matrix(data, rows, cols);
                case F16, BF16 ->
                    throw new IllegalArgumentException("the kernels take F32, Q8_0 or Q4_0, not " + target);
            };
        }
    }
}
