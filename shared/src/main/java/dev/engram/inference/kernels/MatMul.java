package dev.engram.inference.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Optional;

/**
 * Matrix products over a {@link Team}: rows are shared out in chunks, so every member streams its own
 * part of the weights. Several matrices with the same input (query, key and value; gate and up) run as
 * one step.
 *
 * <p>Which kernel runs depends on the weights and on what the tokens are, never on how many share the
 * step. Quantized weights use the {@link NativeKernels} when they are given ({@link NativeKernels#takes}),
 * for every token; otherwise tokens being decoded (and every output-head product) use {@link
 * WeightMatrix#decode}, or for F32 weights the native kernel that sums a row in its order ({@link
 * NativeKernels#decodesF32}), and the tokens of a prompt use {@link Gemm}. A sequence therefore gets the
 * same numbers alone or in any batch.
 */
public final class MatMul {
    private static final int DECODE_CHUNK = 16;
    private static final int PREFILL_CHUNK = 64;
    private static final int PACK_CHUNK = 256;

    private final Team team;
    private final Optional<NativeKernels> nativeKernels;
    private final ThreadLocal<Gemm.Scratch> scratch = ThreadLocal.withInitial(Gemm.Scratch::new);

    public MatMul(Team team, Optional<NativeKernels> nativeKernels) {
        this.team = team;
        this.nativeKernels = nativeKernels;
    }

    /** The native kernels, if any. */
    public Optional<NativeKernels> nativeKernels() {
        return nativeKernels;
    }

    public Team team() {
        return team;
    }

    /**
     * Whether {@code w} gives a token the same bits as a prompt token and as a decoded one: true when
     * the native kernels take it, which pick their code by the number of tokens only.
     */
    public boolean sameForPromptAndDecoded(WeightMatrix w) {
        return nativeKernels.filter(k -> k.takes(w)).isPresent();
    }

    /**
     * {@code w} as these kernels multiply it fastest: Q4_0 and Q8_0 weights are rearranged into panels
     * ({@link NativeKernels#packs}) in memory from {@code arena}, by the whole team. The stored matrix stays
     * for row lookups; what packing read of a mapped file is given back to the file. Q8_0 weights held in
     * memory (converted at load) keep their rows: panels beside them would double their memory.
     */
    public WeightMatrix prepare(WeightMatrix w, Arena arena) {
        if (nativeKernels.isEmpty()
                || !nativeKernels.get().packs(w)
                || (w instanceof Q8Matrix && !w.data().isMapped())) {
            return w;
        }
        MemorySegment panels = arena.allocate(NativeKernels.panelBytes(w), 64);
        team.forEach(w.rows(), PACK_CHUNK, (from, to) -> nativeKernels.get().pack(w, panels, from, to));
        if (w.data().isMapped()) {
            w.data().unload();
        }
        return switch (w) {
            case Q8Matrix m -> new Q8Matrix(m.data(), m.rows(), m.cols(), panels);
            case Q4Matrix m -> new Q4Matrix(m.data(), m.rows(), m.cols(), panels);
            default -> throw new IllegalStateException("panels for " + w.format());
        };
    }

    /** {@code y[i][t * rows + r]} = token {@code t}'s product with matrix {@code i}, for {@code tokens} decoded tokens. */
    public void decode(WeightMatrix[] w, float[] x, int tokens, float[][] y) {
        multiply(w, x, tokens, y, false);
    }

    public void decode(WeightMatrix w, float[] x, int tokens, float[] y) {
        decode(new WeightMatrix[] {w}, x, tokens, new float[][] {y});
    }

    /** Like {@link #decode(WeightMatrix[], float[], int, float[][])} for the tokens of a prompt. */
    public void prefill(WeightMatrix[] w, float[] x, int tokens, float[][] y) {
        multiply(w, x, tokens, y, true);
    }

    public void prefill(WeightMatrix w, float[] x, int tokens, float[] y) {
        prefill(new WeightMatrix[] {w}, x, tokens, new float[][] {y});
    }

    private void multiply(WeightMatrix[] w, float[] x, int tokens, float[][] y, boolean prompt) {
        NativeKernels kernels =
                nativeKernels.filter(k -> Arrays.stream(w).anyMatch(k::takes)).orElse(null);
        NativeKernels.Input quantized = kernels == null ? null : kernels.quantize(x, tokens, w[0].cols());
        float[] sums = prompt ? null : blockSums(w, x, tokens, kernels);
        NativeKernels f32 = nativeKernels.filter(NativeKernels::decodesF32).orElse(null);
        int[] starts = starts(w);
        team.forEach(starts[w.length], prompt ? PREFILL_CHUNK : DECODE_CHUNK, (from, to) -> {
            for (int i = 0; i < w.length; i++) {
                int lo = Math.max(from, starts[i]) - starts[i];
                int hi = Math.min(to, starts[i + 1]) - starts[i];
                if (lo >= hi) {
                    continue;
                }
                if (kernels != null && kernels.takes(w[i])) {
                    kernels.multiply(w[i], quantized, y[i], lo, hi);
                } else if (prompt) {
                    Gemm.multiply(w[i], x, tokens, y[i], lo, hi, scratch.get());
                } else if (f32 != null && w[i] instanceof F32Matrix f) {
                    f32.decode(f, x, tokens, y[i], lo, hi);
                } else {
                    decodeRows(w[i], x, sums, tokens, y[i], lo, hi);
                }
            }
        });
    }

    /** The inputs' {@link WeightMatrix#blockSums} when a matrix left to the Vector API kernels needs them. */
    private static float[] blockSums(WeightMatrix[] w, float[] x, int tokens, NativeKernels kernels) {
        for (WeightMatrix m : w) {
            if (m.needsBlockSums() && (kernels == null || !kernels.takes(m))) {
                return WeightMatrix.blockSums(x, tokens, m.cols());
            }
        }
        return null;
    }

    /** Tokens in groups of four, then two, then one: the per-token arithmetic is the same in each. */
    private static void decodeRows(WeightMatrix w, float[] x, float[] sums, int tokens, float[] y, int from, int to) {
        int first = 0;
        for (; tokens - first >= 4; first += 4) {
            w.decode(x, sums, first, 4, y, from, to);
        }
        for (; tokens - first >= 2; first += 2) {
            w.decode(x, sums, first, 2, y, from, to);
        }
        for (; first < tokens; first++) {
            w.decode(x, sums, first, 1, y, from, to);
        }
    }

    /** Where each matrix's rows begin in the step's shared row numbering. */
    private static int[] starts(WeightMatrix[] w) {
        int[] starts = new int[w.length + 1];
        for (int i = 0; i < w.length; i++) {
            starts[i + 1] = starts[i] + w[i].rows();
        }
        return starts;
    }
}
