package dev.engram.inference.structured;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Token byte strings as a trie laid out in depth-first order: node {@code i}'s subtree is nodes
 * {@code i .. end[i]-1}, so a walk that finds a byte invalid skips the whole subtree with one jump.
 */
final class TokenTrie {
    final int nodes;
    final byte[] label;
    final int[] depth;
    final int[] end;
    /** Tokens spelled by node {@code i}: {@code tokens[tokensFrom[i] .. tokensFrom[i + 1] - 1]}. */
    final int[] tokensFrom;

    final int[] tokens;
    final int maxDepth;

    private TokenTrie(int nodes, byte[] label, int[] depth, int[] end, int[] tokensFrom, int[] tokens, int maxDepth) {
        this.nodes = nodes;
        this.label = label;
        this.depth = depth;
        this.end = end;
        this.tokensFrom = tokensFrom;
        this.tokens = tokens;
        this.maxDepth = maxDepth;
    }

    /** The trie of tokens {@code ids} (none empty), spelled {@code bytes[id]}. */
    static TokenTrie of(List<Integer> ids, byte[][] bytes) {
        Integer[] sorted = ids.toArray(Integer[]::new);
        Arrays.sort(
                sorted,
                Comparator.comparing((Integer id) -> bytes[id], Arrays::compareUnsigned)
                        .thenComparing(id -> id));
        int capacity = 1;
        for (int id : sorted) {
            capacity += bytes[id].length;
        }
        byte[] label = new byte[capacity];
        int[] depth = new int[capacity];
        int[] tokensFrom = new int[capacity + 1];
        int[] tokens = new int[sorted.length];
        int nodes = 1;
        int maxDepth = 0;
        byte[] previous = new byte[0];
        for (int t = 0; t < sorted.length; t++) {
            byte[] spelled = bytes[sorted[t]];
            int common = Arrays.mismatch(previous, spelled);
            common = common < 0 ? spelled.length : common;
            for (int d = common; d < spelled.length; d++) {
                label[nodes] = spelled[d];
                depth[nodes] = d + 1;
                tokensFrom[nodes] = t;
                nodes++;
            }
            tokensFrom[nodes] = t + 1; // closes the run of the node this token ends at
            tokens[t] = sorted[t];
            maxDepth = Math.max(maxDepth, spelled.length);
            previous = spelled;
        }
        int[] end = new int[nodes];
        int[] open = new int[maxDepth + 1];
        int top = -1;
        for (int i = 0; i < nodes; i++) {
            while (top >= 0 && depth[open[top]] >= depth[i]) {
                end[open[top--]] = i;
            }
            open[++top] = i;
        }
        while (top >= 0) {
            end[open[top--]] = nodes;
        }
        return new TokenTrie(
                nodes,
                Arrays.copyOf(label, nodes),
                Arrays.copyOf(depth, nodes),
                end,
                Arrays.copyOf(tokensFrom, nodes + 1),
                tokens,
                maxDepth);
    }

    /** Sets in {@code found} every token the automaton takes from {@code state}; a refused byte skips its subtree. */
    void walk(State state, java.util.BitSet found) {
        State[] at = new State[maxDepth + 1];
        at[0] = state;
        int i = 1;
        while (i < nodes) {
            int d = depth[i];
            State next = State.step(at[d - 1], label[i] & 0xFF);
            if (next == null) {
                i = end[i];
                continue;
            }
            at[d] = next;
            for (int t = tokensFrom[i]; t < tokensFrom[i + 1]; t++) {
                found.set(tokens[t]);
            }
            i++;
        }
    }
}
