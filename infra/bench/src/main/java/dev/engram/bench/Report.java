package dev.engram.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The table on stdout and the JSON result file. */
record Report(Map<String, Object> machine, List<Row> rows) {

    void print(PrintStream out) {
        out.println();
        machine.forEach((k, v) -> out.printf("%-14s %s%n", k + ":", v));
        out.println("Synthetic models have random weights: their text is meaningless, only their speed is.");
        out.println();
        out.printf(
                "| %-12s | %-62s | %10s | %-7s | %-21s | %3s | %-60s | %s |%n",
                "section", "figure", "median", "unit", "spread (min..max)", "n", "ratio", "note");
        out.println("|" + "-".repeat(14) + "|" + "-".repeat(64) + "|" + "-".repeat(12) + "|" + "-".repeat(9) + "|"
                + "-".repeat(23) + "|" + "-".repeat(5) + "|" + "-".repeat(62) + "|------|");
        for (Row r : rows) {
            String ratio = r.ratio() == null
                    ? ""
                    : String.format(
                            Locale.ROOT,
                            "%.2f (%s%s)",
                            r.ratio(),
                            r.ratioOf(),
                            r.goal() == null
                                    ? ""
                                    : String.format(
                                            Locale.ROOT,
                                            "; goal >= %.2f: %s",
                                            r.goal(),
                                            r.goalMet() ? "met" : "missed"));
            out.printf(
                    Locale.ROOT,
                    "| %-12s | %-62s | %10s | %-7s | %-21s | %3d | %-60s | %s |%n",
                    r.section(),
                    r.name(),
                    num(r.stats().median()),
                    r.unit(),
                    num(r.stats().min()) + ".." + num(r.stats().max()),
                    r.stats().n(),
                    ratio,
                    r.note() == null ? "" : r.note());
        }
    }

    void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(file.toFile(), Map.of("machine", machine, "rows", rows));
    }

    static String num(double v) {
        if (Math.abs(v) >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 10 ? "%.1f" : "%.2f", v);
    }
}
