package dev.engram.bench;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The machine's memory read bandwidth: every core sums its slice of an off-heap buffer far larger than
 * the caches with the Vector API. Decoding one token streams every weight once, so this is the
 * ceiling for decode speed.
 */
final class BandwidthProbe {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /** Passes that fault the pages in and let the JIT compile the loop (the first two are 5-10x slower). */
    private static final int WARM_UP_PASSES = 2;

    /** The harness's first argument that runs {@link #printSamples} (the harness is packaged as a Quarkus jar). */
    static final String APART = "--bandwidth-probe";

    private BandwidthProbe() {}

    /**
     * Bytes per second, one sample per pass, measured in a JVM of its own: reading an off-heap buffer
     * with the Vector API here would leave the JIT compiling the engine's reads of its mapped weights
     * less well for the rest of the run (F32 decode ran about a third slower after it).
     */
    static List<Double> measureApart(long bytes, int passes) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(List.of(
                "-jar", System.getProperty("java.class.path"), APART, Long.toString(bytes), Integer.toString(passes)));
        String out = Subprocess.run(command, Path.of("."), Map.of(), "", Duration.ofMinutes(10));
        return out.lines().filter(l -> !l.isBlank()).map(Double::parseDouble).toList();
    }

    /** Prints {@link #measure}'s samples for {@link #measureApart}, one per line. */
    static void printSamples(String[] args) throws Exception {
        for (double sample : measure(Long.parseLong(args[0]), Integer.parseInt(args[1]))) {
            System.out.println(sample);
        }
    }

    /** Bytes per second, one sample per pass. */
    static List<Double> measure(long bytes, int passes) throws Exception {
        int threads = Runtime.getRuntime().availableProcessors();
        long floats = bytes / Float.BYTES / (threads * (long) SPECIES.length()) * (threads * (long) SPECIES.length());
        List<Double> samples = new ArrayList<>();
        try (Arena arena = Arena.ofShared();
                ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            MemorySegment buffer = arena.allocate(floats * Float.BYTES, 64);
            buffer.fill((byte) 1);
            long slice = floats / threads;
            for (int pass = -WARM_UP_PASSES; pass < passes; pass++) {
                long start = System.nanoTime();
                List<Future<Float>> parts = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    long from = t * slice;
                    parts.add(pool.submit(() -> sum(buffer, from, slice)));
                }
                float total = 0;
                for (Future<Float> part : parts) {
                    total += part.get();
                }
                long elapsed = System.nanoTime() - start;
                if (total == 42f) {
                    System.out.print(""); // keeps the sums alive
                }
                if (pass >= 0) {
                    samples.add(floats * (double) Float.BYTES / (elapsed / 1e9));
                }
            }
        }
        return samples;
    }

    private static float sum(MemorySegment buffer, long fromFloat, long count) {
        FloatVector a = FloatVector.zero(SPECIES);
        FloatVector b = a;
        FloatVector c = a;
        FloatVector d = a;
        long stride = SPECIES.vectorByteSize();
        long offset = fromFloat * Float.BYTES;
        long end = offset + count * Float.BYTES;
        // Four independent accumulators keep enough loads in flight to saturate the memory bus
        // (two reach ~20 GB/s here, four ~26 GB/s; more spill registers).
        for (; offset + 4 * stride <= end; offset += 4 * stride) {
            a = a.add(FloatVector.fromMemorySegment(SPECIES, buffer, offset, ByteOrder.nativeOrder()));
            b = b.add(FloatVector.fromMemorySegment(SPECIES, buffer, offset + stride, ByteOrder.nativeOrder()));
            c = c.add(FloatVector.fromMemorySegment(SPECIES, buffer, offset + 2 * stride, ByteOrder.nativeOrder()));
            d = d.add(FloatVector.fromMemorySegment(SPECIES, buffer, offset + 3 * stride, ByteOrder.nativeOrder()));
        }
        for (; offset + stride <= end; offset += stride) {
            a = a.add(FloatVector.fromMemorySegment(SPECIES, buffer, offset, ByteOrder.nativeOrder()));
        }
        return a.add(b).add(c).add(d).reduceLanes(VectorOperators.ADD);
    }
}
