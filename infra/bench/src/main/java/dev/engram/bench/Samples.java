package dev.engram.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one side of a ratio (the engine or llama.cpp) measured on one weight format, gathered over
 * the rounds: decode speeds per run, and prefill speeds per prompt size.
 */
final class Samples {
    final List<Double> decode = new ArrayList<>();
    /** Generated tokens over the whole call, prefill included (the engine's; the HTTP row compares with it). */
    final List<Double> endToEnd = new ArrayList<>();

    final Map<Integer, List<Double>> prefill = new TreeMap<>();
    /** Time to first token per prompt size, in ms (the engine's). */
    final Map<Integer, List<Double>> timeToFirstToken = new TreeMap<>();
    /** The greedy continuation of the decode prompt. */
    String text;
    /** Tokens generated per decode run. */
    int tokens;
    /** How it ran, for the rows' notes. */
    String how;

    boolean measured() {
        return !decode.isEmpty();
    }

    void addPrefill(int size, double tokensPerSecond) {
        prefill.computeIfAbsent(size, k -> new ArrayList<>()).add(tokensPerSecond);
    }

    void addTimeToFirstToken(int size, double millis) {
        timeToFirstToken.computeIfAbsent(size, k -> new ArrayList<>()).add(millis);
    }
}
