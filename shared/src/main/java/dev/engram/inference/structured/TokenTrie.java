package dev.engram.inference.structured;

import dev.engram.errors.NotSupportedException;
import dev.engram.inference.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * A vocabulary's byte strings as a trie laid out in depth-first order: node {@code i}'s subtree is
 * nodes {@code i .. end[i]-1}, so a walk that finds a byte invalid skips the whole subtree with one
 * jump. Control tokens, end tokens and tokens that stand for no bytes are left out: the automaton
 * never lets them through as text.
 */
final class TokenTrie {
    /** The bytes every UTF-8 JSON text may need; a vocabulary must spell each as a token of its own. */
    private static final String NEEDED = "0x20-0x7F, 0x80-0xBF, 0xC2-0xF4";

    final int size;
    final int[] endTokens;
    final byte[][] bytes;
    final int nodes;
    final byte[] label;
    final int[] depth;
    final int[] end;
    /** Tokens spelled by node {@code i}: {@code tokens[tokensFrom[i] .. tokensFrom[i + 1] - 1]}. */
    final int[] tokensFrom;
    final int[] tokens;
    final int maxDepth;

    private TokenTrie(int size, int[] endTokens, byte[][] bytes, int nodes, byte[] label, int[] depth, int[] end, int[] tokensFrom,
            int[] tokens, int maxDepth) {
        this.size = size;
        this.endTokens = endTokens;
        this.bytes = bytes;
        this.nodes = nodes;
        this.label = label;
        this.depth = depth;
        this.end = end;
        this.tokensFrom = tokensFrom;
        this.tokens = tokens;
        this.maxDepth = maxDepth;
    }

    /**
     * @throws NotSupportedException when the vocabulary lacks a single-byte token that JSON text may
     *     need: then some valid document could not be spelled, and the guarantee would not hold
     */
    static TokenTrie of(Tokenizer tokenizer) {
        int size = tokenizer.size();
        Set<Integer> ends = tokenizer.endTokens();
        byte[][] bytes = new byte[size][];
        List<Integer> ids = new ArrayList<>(size);
        boolean[] single = new boolean[256];
        for (int id = 0; id < size; id++) {
            byte[] spelled = tokenizer.isControl(id) || ends.contains(id) ? new byte[0] : tokenizer.bytes(id);
            bytes[id] = spelled;
            if (spelled.length > 0) {
                ids.add(id);
                if (spelled.length == 1) {
                    single[spelled[0] & 0xFF] = true;
                }
            }
        }
        for (int b = 0x20; b <= 0xF4; b++) {
            if (!single[b] && (b < 0xC0 || b >= 0xC2)) {
                throw new NotSupportedException(String.format("Structured output needs a token for every single byte of UTF-8 JSON "
                        + "text (%s); this model's vocabulary has none for 0x%02X", NEEDED, b));
            }
        }
        ids.sort(Comparator.comparing((Integer id) -> bytes[id], Arrays::compareUnsigned).thenComparing(id -> id));
        int capacity = 1;
        for (int id : ids) {
            capacity += bytes[id].length;
        }
        byte[] label = new byte[capacity];
        int[] depth = new int[capacity];
        int[] tokensFrom = new int[capacity + 1];
        int[] tokens = new int[ids.size()];
        int nodes = 1;
        int maxDepth = 0;
        byte[] previous = new byte[0];
        for (int t = 0; t < ids.size(); t++) {
            byte[] spelled = bytes[ids.get(t)];
            int common = Arrays.mismatch(previous, spelled);
            common = common < 0 ? spelled.length : common;
            for (int d = common; d < spelled.length; d++) {
                label[nodes] = spelled[d];
                depth[nodes] = d + 1;
                tokensFrom[nodes] = t;
                nodes++;
            }
            tokensFrom[nodes] = t + 1; // closes the run of the node this token ends at
            tokens[t] = ids.get(t);
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
        int[] endIds = ends.stream().filter(id -> id >= 0 && id < size).mapToInt(Integer::intValue).sorted().toArray();
        return new TokenTrie(size, endIds, bytes, nodes, Arrays.copyOf(label, nodes), Arrays.copyOf(depth, nodes), end,
                Arrays.copyOf(tokensFrom, nodes + 1), tokens, maxDepth);
    }
}
