package dev.engram.bench;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Where the tests find node-llama-cpp ({@code infra/bench/llama-cpp}, installed by {@code npm ci}: see
 * run.sh). Tests that need it are skipped when it is not installed, unless
 * {@code ENGRAM_TEST_REQUIRE_LLAMA_CPP=true} (set by .ci/run, which installs it), in which case they fail.
 */
final class LlamaCppInstall {
    private LlamaCppInstall() {}

    static Path dir() {
        return Path.of(System.getProperty("engram.test.llama-cpp", "llama-cpp"))
                .toAbsolutePath()
                .normalize();
    }

    static boolean required() {
        return Boolean.parseBoolean(System.getenv().getOrDefault("ENGRAM_TEST_REQUIRE_LLAMA_CPP", "false"));
    }

    /** The install directory when node-llama-cpp is there; empty when not (a failure if it is required). */
    static Optional<Path> ifInstalled() {
        if (LlamaCpp.installedIn(dir())) {
            return Optional.of(dir());
        }
        if (required()) {
            fail("node-llama-cpp is required but not installed in " + dir()
                    + " (cd infra/bench/llama-cpp && NODE_LLAMA_CPP_SKIP_DOWNLOAD=true npm ci)");
        }
        return Optional.empty();
    }

    /** llama.cpp, or a skip (locally) / a failure (CI) when it is not installed. */
    static LlamaCpp llamaCpp() {
        Optional<Path> dir = ifInstalled();
        Assumptions.assumeTrue(
                dir.isPresent(), "node-llama-cpp not installed in " + dir() + "; llama.cpp tests skipped");
        return LlamaCpp.at(dir.get());
    }
}
