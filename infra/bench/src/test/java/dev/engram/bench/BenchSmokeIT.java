package dev.engram.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Keeps the harness from rotting: the packaged harness, run as {@code infra/bench/run.sh} runs it, in
 * quick mode on tiny models, must produce a number for every row of every section, llama.cpp's rows
 * included where node-llama-cpp is installed. Nothing here looks at how fast anything was.
 */
class BenchSmokeIT {

    @Test
    void aQuickRunOnTinyModelsGivesEveryRowANumber() throws Exception {
        Path app = Path.of(System.getProperty("engram.test.app"));
        Path target = app.getParent().getParent();
        Path out = target.resolve("bench-smoke.json");
        Path log = target.resolve("bench-smoke.log");
        Files.deleteIfExists(out);
        Optional<Path> llamaCpp = LlamaCppInstall.ifInstalled();
        Process bench = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "--add-modules",
                        "jdk.incubator.vector",
                        "--enable-native-access=ALL-UNNAMED",
                        "-Xmx2g",
                        "-jar",
                        app.toString(),
                        "--quick",
                        "--tiny",
                        "--repeats",
                        "1",
                        "--tokens",
                        "8",
                        "--model",
                        TestModels.stories260K().toString(),
                        "--functions",
                        target.resolve("../../../functions").normalize().toString(),
                        "--cache",
                        target.resolve("synthetic").toString(),
                        "--out",
                        out.toString(),
                        "--llama-cpp",
                        llamaCpp.map(Path::toString).orElse("none")))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            assertThat(bench.waitFor(10, TimeUnit.MINUTES))
                    .as("finished within 10 minutes; see " + log)
                    .isTrue();
        } finally {
            bench.destroyForcibly();
        }
        String output = Files.readString(log);
        assertThat(bench.exitValue()).as(output).isZero();
        assertThat(output).contains("| decode", "Synthetic models have random weights");

        JsonNode rows = new ObjectMapper().readTree(out.toFile()).get("rows");
        Set<String> sections = new HashSet<>();
        List<String> llamaRows = new ArrayList<>();
        for (JsonNode row : rows) {
            sections.add(row.get("section").asText());
            if (row.get("name").asText().contains("llama.cpp")) {
                llamaRows.add(row.get("name").asText());
            }
            assertThat(row.at("/stats/median").isNumber()).as(row.toString()).isTrue();
            assertThat(Double.isFinite(row.at("/stats/median").asDouble()))
                    .as(row.toString())
                    .isTrue();
        }
        if (llamaCpp.isPresent()) {
            assertThat(llamaRows)
                    .contains(
                            "tiny Q4: llama.cpp Q4_0, decode (baseline)",
                            "tiny Q8: llama.cpp Q8_0, decode (baseline)",
                            "tiny Q4: llama.cpp Q4_0 prefill at 128 (baseline)");
        } else {
            assertThat(llamaRows).isEmpty();
        }
        assertThat(sections)
                .containsExactlyInAnyOrder(
                        "bandwidth",
                        "decode",
                        "prefill",
                        "startup",
                        "concurrency",
                        "memory",
                        "promotion",
                        "recall-quality",
                        "classify",
                        "batch",
                        "structured",
                        "cluster");
    }
}
