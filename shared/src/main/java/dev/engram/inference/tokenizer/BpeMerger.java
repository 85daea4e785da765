package dev.engram.inference.tokenizer;

import java.util.Arrays;

/**
 * The BPE merge loop shared by both front ends: given a run of symbol ids, repeatedly joins the
 * adjacent pair of best priority (lowest rank; leftmost among equals) into the piece it makes, until
 * no adjacent pair can merge. Candidate pairs sit in a heap and symbols in a linked list, so a run of
 * n symbols takes O(n log n) time. Pair lookups go through an open-addressing table of primitive
 * longs: no boxing in the loop. Immutable once built, so one merger serves every thread.
 */
final class BpeMerger {
    private static final long EMPTY = -1L;

    private final long[] keys;
    private final long[] values;
    private final int mask;

    private BpeMerger(int capacity) {
        int size = Integer.highestOneBit(Math.max(16, capacity * 2 - 1)) << 1;
        keys = new long[size];
        values = new long[size];
        mask = size - 1;
        Arrays.fill(keys, EMPTY);
    }

    /** Collects merge rules; the first rule given for a pair wins. */
    static final class Builder {
        private long[] lefts = new long[1024];
        private int count;

        /** Pieces {@code left} and {@code right} join into {@code merged} with priority {@code rank} (lower merges first). */
        void add(int left, int right, int merged, int rank) {
            if (count * 2 + 2 > lefts.length) {
                lefts = Arrays.copyOf(lefts, lefts.length * 2);
            }
            lefts[count * 2] = key(left, right);
            lefts[count * 2 + 1] = (long) rank << 32 | (merged & 0xFFFF_FFFFL);
            count++;
        }

        BpeMerger build() {
            BpeMerger merger = new BpeMerger(count);
            for (int i = 0; i < count; i++) {
                merger.putIfAbsent(lefts[i * 2], lefts[i * 2 + 1]);
            }
            return merger;
        }
    }

    private static long key(int left, int right) {
        return (long) left << 32 | (right & 0xFFFF_FFFFL);
    }

    private int slot(long key) {
        long h = key * 0x9E37_79B9_7F4A_7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    private void putIfAbsent(long key, long value) {
        int i = slot(key);
        while (keys[i] != EMPTY) {
            if (keys[i] == key) {
                return;
            }
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = value;
    }

    /** The rule for the pair, as {@code rank << 32 | merged}, or -1. */
    private long rule(int left, int right) {
        long key = key(left, right);
        for (int i = slot(key); keys[i] != EMPTY; i = (i + 1) & mask) {
            if (keys[i] == key) {
                return values[i];
            }
        }
        return EMPTY;
    }

    /** Merges {@code symbols[0, n)} (overwritten) and appends the resulting ids to {@code out}. */
    void merge(int[] symbols, int n, IntList out) {
        if (n == 0) {
            return;
        }
        int[] next = new int[n];
        int[] prev = new int[n];
        for (int i = 0; i < n; i++) {
            next[i] = i + 1 < n ? i + 1 : -1;
            prev[i] = i - 1;
        }
        LongHeap heap = new LongHeap(n);
        for (int i = 0; i + 1 < n; i++) {
            offer(heap, symbols, i, i + 1);
        }
        while (!heap.isEmpty()) {
            long entry = heap.poll();
            int left = (int) entry;
            int right = next[left];
            if (symbols[left] < 0 || right < 0) {
                continue;
            }
            long rule = rule(symbols[left], symbols[right]);
            if (rule == EMPTY || (rule >>> 32) != (entry >>> 32)) {
                continue; // stale: the pair here changed since this entry was queued
            }
            symbols[left] = (int) rule;
            symbols[right] = -1;
            next[left] = next[right];
            if (next[right] >= 0) {
                prev[next[right]] = left;
            }
            if (prev[left] >= 0) {
                offer(heap, symbols, prev[left], left);
            }
            if (next[left] >= 0) {
                offer(heap, symbols, left, next[left]);
            }
        }
        for (int i = 0; i >= 0; i = next[i]) {
            out.add(symbols[i]);
        }
    }

    private void offer(LongHeap heap, int[] symbols, int left, int right) {
        long rule = rule(symbols[left], symbols[right]);
        if (rule != EMPTY) {
            heap.add((rule >>> 32) << 32 | left);
        }
    }

    /** A binary min-heap of longs (rank in the high half, position in the low half). */
    private static final class LongHeap {
        private long[] heap;
        private int size;

        LongHeap(int capacity) {
            heap = new long[Math.max(4, capacity)];
        }

        boolean isEmpty() {
            return size == 0;
        }

        void add(long value) {
            if (size == heap.length) {
                heap = Arrays.copyOf(heap, size * 2);
            }
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (heap[parent] <= value) {
                    break;
                }
                heap[i] = heap[parent];
                i = parent;
            }
            heap[i] = value;
        }

        long poll() {
            long top = heap[0];
            long last = heap[--size];
            int i = 0;
            while (true) {
                int child = 2 * i + 1;
                if (child >= size) {
                    break;
                }
                if (child + 1 < size && heap[child + 1] < heap[child]) {
                    child++;
                }
                if (heap[child] >= last) {
                    break;
                }
                heap[i] = heap[child];
                i = child;
            }
            heap[i] = last;
            return top;
        }
    }
}
