package dev.engram.inference.llama;

import java.util.Arrays;

/**
 * One sequence's keys and values, layer by layer, grown in pages of {@link #PAGE} positions as the
 * sequence gets longer, so a short request holds little memory. Owned by one sequence; the forward
 * pass writes position p of every layer when it computes token p.
 */
public final class KvCache implements AutoCloseable {
    public static final int PAGE = 64;

    private final KvPool pool;
    private final int layers;
    private final int kvDim;
    /** [layer][page] -> PAGE * kvDim floats. */
    private float[][][] keys;

    private float[][][] values;
    private int pages;
    private boolean closed;

    public KvCache(KvPool pool, LlamaConfig config) {
        this.pool = pool;
        this.layers = config.blockCount();
        this.kvDim = config.kvDim();
        this.keys = new float[layers][0][];
        this.values = new float[layers][0][];
    }

    /** Positions that can be written without growing. */
    public int capacity() {
        return pages * PAGE;
    }

    /** Pages needed to hold {@code positions} positions beyond what is held now. */
    public int pagesToGrow(int positions) {
        return Math.max(0, (positions + PAGE - 1) / PAGE - pages);
    }

    /** Grows to hold {@code positions} positions; false (and nothing changed) when the pool's budget is spent. */
    public boolean ensure(int positions) {
        int more = pagesToGrow(positions);
        if (more == 0) {
            return true;
        }
        if (closed || !pool.reserve(more)) {
            return false;
        }
        int total = pages + more;
        for (int l = 0; l < layers; l++) {
            keys[l] = Arrays.copyOf(keys[l], total);
            values[l] = Arrays.copyOf(values[l], total);
            for (int p = pages; p < total; p++) {
                keys[l][p] = new float[PAGE * kvDim];
                values[l][p] = new float[PAGE * kvDim];
            }
        }
        pages = total;
        return true;
    }

    /** The page holding {@code position}'s keys in {@code layer}; the position's row starts at {@link #offset}. */
    public float[] keys(int layer, int position) {
        return keys[layer][position / PAGE];
    }

    public float[] values(int layer, int position) {
        return values[layer][position / PAGE];
    }

    /** Where {@code position}'s row starts in its page. */
    public int offset(int position) {
        return (position % PAGE) * kvDim;
    }

    /** Gives the memory back to the pool. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            pool.release(pages);
            keys = null;
            values = null;
            pages = 0;
        }
    }
}
