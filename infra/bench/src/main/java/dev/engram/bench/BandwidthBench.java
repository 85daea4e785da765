package dev.engram.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jdk.incubator.vector.FloatVector;

/**
 * Row 1: the memory read bandwidth decode speeds are set against. Decoding a token streams every
 * weight once, so bandwidth bounds decode speed; no single probe is sure to reach the machine's
 * best, so the ceiling is the best median of several: the Vector API probe, and a native one with
 * all cores and with one.
 */
final class BandwidthBench {
    private BandwidthBench() {}

    /** The ceiling: bytes per second, and what reached it. */
    record Ceiling(double bytesPerSecond, String probe) {
        /** {@code tokensPerSecond} as a percentage of what the ceiling allows for {@code bytesPerToken}. */
        double percent(double tokensPerSecond, long bytesPerToken) {
            return 100 * tokensPerSecond * bytesPerToken / bytesPerSecond;
        }
    }

    static Ceiling run(BenchOptions options, List<Row> rows) throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        long bytes = options.quick() ? 1L << 29 : 1L << 30;
        int passes = options.quick() ? 3 : 5;
        String size = options.quick() ? "512 MiB" : "1 GiB";
        Map<String, Stats> probes = new LinkedHashMap<>();

        Bench.progress("memory bandwidth: Vector API probe");
        String java = "Vector API probe, " + cores + " threads";
        probes.put(java, gigabytes(BandwidthProbe.measureApart(bytes, passes)));
        rows.add(Row.of(
                "bandwidth",
                java,
                "GB/s",
                probes.get(java),
                "sum over " + size + " off-heap, " + vectorBits() + "-bit FloatVector.SPECIES_PREFERRED"));

        Bench.progress("memory bandwidth: native probe");
        Optional<NativeBandwidthProbe> compiled = NativeBandwidthProbe.compile();
        if (compiled.isPresent()) {
            try (NativeBandwidthProbe probe = compiled.get()) {
                for (int threads : cores > 1 ? new int[] {cores, 1} : new int[] {1}) {
                    String name = "native probe, " + threads + (threads == 1 ? " thread" : " threads");
                    probes.put(name, gigabytes(probe.measure(bytes, passes, threads)));
                    rows.add(Row.of(
                            "bandwidth",
                            name,
                            "GB/s",
                            probes.get(name),
                            "bandwidth.c, gcc -O3 -march=native -fopenmp: integer sum over " + size));
                }
            }
        }
        Map.Entry<String, Stats> best = probes.entrySet().stream()
                .max(Comparator.comparingDouble(
                        (Map.Entry<String, Stats> e) -> e.getValue().median()))
                .orElseThrow();
        rows.add(Row.of(
                "bandwidth",
                "memory read bandwidth (ceiling)",
                "GB/s",
                best.getValue(),
                "best probe: " + best.getKey() + "; " + cpu() + ", " + cores + " cores; JVM preferred vector "
                        + vectorBits() + " bits"));
        return new Ceiling(best.getValue().median() * 1e9, best.getKey());
    }

    static int vectorBits() {
        return FloatVector.SPECIES_PREFERRED.vectorBitSize();
    }

    static String cpu() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).strip())
                    .orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    private static Stats gigabytes(List<Double> bytesPerSecond) {
        return Stats.of(bytesPerSecond.stream().map(b -> b / 1e9).toList());
    }
}
