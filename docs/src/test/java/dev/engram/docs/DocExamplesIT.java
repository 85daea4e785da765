package dev.engram.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.testing.FunctionProcess;
import dev.engram.testing.RedisServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Runs every checked example of README.md and docs/ (marked {@code <!-- example -->}, see
 * {@link MarkdownExamples}) against the packaged functions, on the stories260K model and a real
 * redis-server, and compares what they print with what the docs show. Pages run in order, each on an empty
 * Redis; the examples of a page share it, as they do for a reader going through the page.
 *
 * <p>{@code -Dengram.docs.update=true} rewrites the output blocks that do not match with what was printed
 * (then read the diff: a changed answer may be a bug). It also checks that each function started without
 * a WARN or ERROR in its log.
 */
class DocExamplesIT {
    /** The directory the batch examples read and write; the function's input and output root. */
    static final String DOC_BATCH_ROOT = "/tmp/batch-demo";
    /** Where the docs' Redis is (the test's runs on a free port). */
    static final String DOC_REDIS = "127.0.0.1:6379";

    static final ObjectMapper JSON = new ObjectMapper();

    final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @Test
    void everyCheckedExampleShowsWhatItPrints() throws IOException {
        Assumptions.assumeTrue(
                System.getProperty("engram.binding", "http").equals("http"),
                "the docs' examples call the HTTP build of the functions");
        Path root = Path.of(System.getProperty("engram.docs.root", ".."))
                .toAbsolutePath()
                .normalize();
        boolean update = Boolean.getBoolean("engram.docs.update");
        Path batchRoot = Path.of("target/doc-examples").toAbsolutePath();
        delete(batchRoot);
        Files.createDirectories(batchRoot);

        List<String> failures = new ArrayList<>();
        int checked = 0;
        try (RedisServer redis = new RedisServer().start();
                Functions functions = new Functions(root, redis, batchRoot)) {
            for (Path page : MarkdownExamples.pages(root)) {
                redis.flushAll();
                Map<Example, String> rewrites = new LinkedHashMap<>();
                for (Example example : MarkdownExamples.read(page, Functions.KEYS)) {
                    Map<String, String> shown =
                            Map.of(batchRoot.toString(), DOC_BATCH_ROOT, "127.0.0.1:" + redis.port(), DOC_REDIS);
                    List<Printed> printed = run(example, functions, redis, batchRoot, shown);
                    checked++;
                    if (example.output() == null) {
                        continue;
                    }
                    List<String> differences =
                            Outputs.differences(example.output().text(), printed, example.vary(), example.unordered());
                    if (!differences.isEmpty()) {
                        if (update) {
                            rewrites.put(
                                    example, printed.stream().map(Printed::text).collect(Collectors.joining("\n")));
                        } else {
                            failures.add(example.where() + ":\n  " + String.join("\n  ", differences));
                        }
                    }
                }
                rewrite(page, rewrites);
            }
            functions.startupProblems().forEach(line -> failures.add("a WARN or ERROR at start-up: " + line));
        } finally {
            delete(batchRoot);
        }
        assertThat(checked).as("checked examples").isGreaterThan(20);
        assertThat(failures)
                .as("examples whose output differs from the docs (-Dengram.docs.update=true rewrites them)")
                .isEmpty();
    }

    List<Printed> run(
            Example example, Functions functions, RedisServer redis, Path batchRoot, Map<String, String> shown) {
        boolean redisDown = "killed".equals(example.attributes().get("redis"));
        if (redisDown) {
            redis.kill();
        }
        try {
            List<Printed> printed = new ArrayList<>();
            for (Command command : example.commands()) {
                switch (command) {
                    case Command.MakeDir dir -> mkdirs(local(dir.path(), batchRoot));
                    case Command.WriteFile write -> write(local(write.path(), batchRoot), write.content());
                    case Command.ReadFile read ->
                        printed.add(Printed.file(asShown(read(local(read.path(), batchRoot)), shown)));
                    case Command.Curl curl -> printed.add(call(example, curl, functions, batchRoot, shown));
                }
            }
            return printed;
        } finally {
            if (redisDown) {
                redis.start();
            }
        }
    }

    Printed call(Example example, Command.Curl curl, Functions functions, Path batchRoot, Map<String, String> shown) {
        String name = example.attributes().get("function");
        FunctionProcess function = functions.get(name != null ? name : Functions.serving(curl.path()));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(function.uri() + curl.path()))
                .timeout(Duration.ofMinutes(2))
                .method(
                        curl.method(),
                        curl.body() == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(
                                        curl.body().replace(DOC_BATCH_ROOT, batchRoot.toString())));
        curl.headers().forEach(request::header);
        String until = example.attributes().get("until");
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            Printed printed = send(request.build(), curl.include(), shown);
            if (until == null || reached(printed, until)) {
                return printed;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        example.where() + ": " + until + " not reached in 2 minutes; last answer " + printed.body());
            }
            sleep(200);
        }
    }

    Printed send(HttpRequest request, boolean include, Map<String, String> shown) {
        try {
            HttpResponse<String> response =
                    http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            Map<String, String> headers = new TreeMap<>();
            response.headers()
                    .map()
                    .forEach((name, values) -> headers.put(name.toLowerCase(), String.join(", ", values)));
            return new Printed(include, response.statusCode(), headers, asShown(response.body(), shown));
        } catch (IOException e) {
            throw new UncheckedIOException(request.uri() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** {@code field:value}: the answer's top-level field has that value. */
    static boolean reached(Printed printed, String until) {
        String[] condition = until.split(":", 2);
        try {
            JsonNode answer = JSON.readTree(printed.body());
            return answer.path(condition[0]).asText().equals(condition[1]);
        } catch (IOException e) {
            return false;
        }
    }

    static Path local(String docPath, Path batchRoot) {
        if (docPath.equals(DOC_BATCH_ROOT)) {
            return batchRoot;
        }
        if (!docPath.startsWith(DOC_BATCH_ROOT + "/")) {
            throw new IllegalArgumentException(
                    "a checked example reads and writes files under " + DOC_BATCH_ROOT + " only, not " + docPath);
        }
        return batchRoot.resolve(docPath.substring(DOC_BATCH_ROOT.length() + 1));
    }

    static void mkdirs(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What was printed, with the test's batch directory and Redis address shown as the docs' ones. */
    static String asShown(String text, Map<String, String> shown) {
        for (Map.Entry<String, String> e : shown.entrySet()) {
            text = text.replace(e.getKey(), e.getValue());
        }
        return text;
    }

    /** Puts each example's new output into its block, last block first so earlier line numbers hold. */
    static void rewrite(Path page, Map<Example, String> rewrites) throws IOException {
        if (rewrites.isEmpty()) {
            return;
        }
        List<String> lines = new ArrayList<>(Files.readAllLines(page, StandardCharsets.UTF_8));
        rewrites.entrySet().stream()
                .sorted(Comparator.comparingInt((Map.Entry<Example, String> e) ->
                                e.getKey().output().from())
                        .reversed())
                .forEach(e -> {
                    Example.Block block = e.getKey().output();
                    lines.subList(block.from(), block.to()).clear();
                    lines.addAll(block.from(), e.getValue().lines().toList());
                });
        Files.writeString(page, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(dir)) {
            tree.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
