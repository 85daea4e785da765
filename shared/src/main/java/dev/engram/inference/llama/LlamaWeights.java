package dev.engram.inference.llama;

import dev.engram.inference.kernels.LargePageArena;
import dev.engram.inference.kernels.WeightMatrix;
import java.lang.foreign.Arena;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/**
 * A Llama-family model's weights in the kernels' formats. Norm weights and biases are small and kept
 * as float arrays; matrices stay in their segments. {@code storage} owns those segments (a mapped file
 * or memory allocated at load) and is closed with the weights.
 */
public record LlamaWeights(
        WeightMatrix embedding, Layer[] layers, float[] outputNorm, WeightMatrix output, AutoCloseable storage)
        implements AutoCloseable {

    /** One transformer block. Biases are null when the family has none. */
    public record Layer(
            float[] attentionNorm,
            WeightMatrix query,
            WeightMatrix key,
            WeightMatrix value,
            float[] queryBias,
            float[] keyBias,
            float[] valueBias,
            WeightMatrix attentionOutput,
            float[] ffnNorm,
            WeightMatrix gate,
            WeightMatrix up,
            WeightMatrix down) {

        /** The layer's matrices, in the order a token meets them. */
        public List<WeightMatrix> matrices() {
            return List.of(query, key, value, attentionOutput, gate, up, down);
        }
    }

    /** Bytes one decoded token reads: every matrix once (the embedding row lookup is negligible). */
    public long bytesPerToken() {
        return output.bytes()
                + Arrays.stream(layers)
                        .flatMap(layer -> layer.matrices().stream())
                        .mapToLong(WeightMatrix::bytes)
                        .sum();
    }

    /**
     * These weights with every matrix that products read passed through {@code prepare}, which may
     * allocate from an arena closed with them. The embedding stays as stored, for its row lookups.
     */
    public LlamaWeights prepared(BiFunction<WeightMatrix, Arena, WeightMatrix> prepare) {
        Arena arena = new LargePageArena();
        try {
            UnaryOperator<WeightMatrix> p = m -> prepare.apply(m, arena);
            Layer[] prepared = new Layer[layers.length];
            for (int i = 0; i < layers.length; i++) {
                Layer l = layers[i];
                prepared[i] = new Layer(
                        l.attentionNorm(),
                        p.apply(l.query()),
                        p.apply(l.key()),
                        p.apply(l.value()),
                        l.queryBias(),
                        l.keyBias(),
                        l.valueBias(),
                        p.apply(l.attentionOutput()),
                        l.ffnNorm(),
                        p.apply(l.gate()),
                        p.apply(l.up()),
                        p.apply(l.down()));
            }
            return new LlamaWeights(embedding, prepared, outputNorm, p.apply(output), () -> {
                arena.close();
                storage.close();
            });
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** The format most of the weights are stored in (that of the first layer's gate). */
    public String format() {
        return layers[0].gate().format();
    }

    @Override
    public void close() {
        try {
            storage.close();
        } catch (Exception e) {
            throw new IllegalStateException("Could not release the model's memory", e);
        }
    }
}
