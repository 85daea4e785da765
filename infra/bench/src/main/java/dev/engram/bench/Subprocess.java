package dev.engram.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A helper program the harness runs to completion (the C bandwidth probe, llama.cpp's Node script,
 * gcc): its input written, its output read, its error stream shown with the harness's own, and it
 * killed if it outlives its timeout.
 */
final class Subprocess {
    private Subprocess() {}

    /**
     * Runs {@code command} in {@code dir} with {@code env} added to the harness's environment, feeds it
     * {@code input} and returns its standard output.
     *
     * @throws IOException if it cannot start, exits non-zero or is still running after {@code timeout}
     */
    static String run(List<String> command, Path dir, Map<String, String> env, String input, Duration timeout)
            throws IOException, InterruptedException {
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().putAll(env);
        Process process = builder.start();
        try {
            CompletableFuture<byte[]> output = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException(String.join(" ", command) + " did not finish within " + timeout);
            }
            String out = new String(output.join(), StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " exited with " + process.exitValue()
                        + " (its error output is above)");
            }
            return out;
        } finally {
            process.destroyForcibly();
        }
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
