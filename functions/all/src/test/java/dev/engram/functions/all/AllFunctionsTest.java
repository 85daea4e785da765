package dev.engram.functions.all;

import static dev.engram.testing.AuthChecks.post;
import static dev.engram.testing.AuthProfile.ALPHA;
import static dev.engram.testing.AuthProfile.ALPHA_KEY;
import static dev.engram.testing.AuthProfile.BETA;
import static dev.engram.testing.AuthProfile.BETA_KEY;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import dev.engram.auth.ApiKeys;
import dev.engram.testing.AuthProfile;
import dev.engram.testing.ModelTestResource;
import dev.engram.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every function in one process on one port: each answers with the one model and the one embedder the
 * process loaded, they share Redis (a session written by generate is read by session-get, a memory
 * remembered is found by recall and by nobody else's tenant), and authentication and the per-tenant
 * request rate are the same for all of them.
 */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
@WithTestResource(RedisTestResource.class)
@TestProfile(AllFunctionsTest.Profile.class)
class AllFunctionsTest {
    static final String GAMMA = "gamma";
    static final String GAMMA_KEY = "ak-gamma-41c7e2a95b08";

    /** Auth on, and a third tenant, gamma, that may make three requests a minute over every function together. */
    public static class Profile extends AuthProfile {
        @Override
        protected Map<String, String> extra() {
            return Map.of(
                    "engram.auth.keys",
                    ALPHA + ":" + ApiKeys.hash(ALPHA_KEY) + "," + BETA + ":" + ApiKeys.hash(BETA_KEY) + "," + GAMMA
                            + ":" + ApiKeys.hash(GAMMA_KEY),
                    "engram.limits.tenant.\"" + GAMMA + "\".requests-per-minute",
                    "3",
                    "engram.limits.tenant.\"" + GAMMA + "\".burst",
                    "3");
        }
    }

    /** A request each function accepts, by path. */
    static final Map<String, String> CALLS = Map.ofEntries(
            Map.entry("/generate", "{\"prompt\":\"Once upon a time\",\"maxTokens\":8}"),
            Map.entry(
                    "/summarize",
                    "{\"text\":\"Lily went to the park. She saw a big dog. The dog was happy and ran.\",\"maxTokens\":16}"),
            Map.entry(
                    "/translate",
                    "{\"text\":\"The cat sleeps on the warm mat in the sun.\",\"targetLanguage\":\"fr\"}"),
            Map.entry(
                    "/classify",
                    "{\"text\":\"My card was charged twice.\",\"labels\":[\"billing\",\"shipping\"],\"mode\":\"embedding\"}"),
            Map.entry("/remember", "{\"text\":\"The gate code is 4711.\"}"),
            Map.entry("/recall", "{\"query\":\"gate code\"}"),
            Map.entry("/session-get", "{\"sessionId\":\"s-1\"}"),
            Map.entry("/batch-status", "{\"jobId\":\"b0000000000000000\"}"),
            Map.entry(
                    "/v1/chat/completions",
                    "{\"model\":\"stories260K\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"max_tokens\":4}"),
            Map.entry("/v1/embeddings", "{\"input\":\"hello\"}"));

    @Test
    void everyFunctionRefusesACallerWithoutAValidKey() {
        for (String path : CALLS.keySet()) {
            post(null, path, CALLS.get(path)).statusCode(401);
            post(AuthProfile.WRONG_KEY, path, CALLS.get(path)).statusCode(401);
        }
    }

    @Test
    void everyFunctionAnswersOnOnePortWithTheOneModel() {
        post(ALPHA_KEY, "/generate", CALLS.get("/generate"))
                .statusCode(200)
                .body("model", is("stories260K"))
                .body("usage.completionTokens", greaterThan(0));
        post(ALPHA_KEY, "/summarize", CALLS.get("/summarize")).statusCode(200).body("model", is("stories260K"));
        post(ALPHA_KEY, "/translate", CALLS.get("/translate"))
                .statusCode(200)
                .body("model", is("stories260K"))
                .body("detectedLanguage", is("en"));
        post(ALPHA_KEY, "/classify", CALLS.get("/classify")).statusCode(200).body("label", is("billing"));
        post(ALPHA_KEY, "/v1/chat/completions", CALLS.get("/v1/chat/completions"))
                .statusCode(200)
                .body("model", is("stories260K"))
                .body("choices[0].message.content", notNullValue());
        post(ALPHA_KEY, "/v1/embeddings", CALLS.get("/v1/embeddings"))
                .statusCode(200)
                .body("data[0].embedding.size()", greaterThan(100));
        given().header("Authorization", AuthProfile.bearer(ALPHA_KEY))
                .get("/v1/models")
                .then()
                .statusCode(200)
                .body("data.id", hasItem("stories260K"));
    }

    @Test
    void theFunctionsShareSessionsAndLongTermMemoryWithinTheTenant() {
        String session = "all-" + UUID.randomUUID();
        post(
                        ALPHA_KEY,
                        "/generate",
                        "{\"prompt\":\"Once upon a time\",\"maxTokens\":4,\"sessionId\":\"" + session + "\"}")
                .statusCode(200);
        post(ALPHA_KEY, "/session-get", "{\"sessionId\":\"" + session + "\"}")
                .statusCode(200)
                .body("turns.size()", is(2))
                .body("turns[0].text", is("Once upon a time"));

        String fact = "The blue door of the shed opens with code "
                + UUID.randomUUID().toString().substring(0, 8) + ".";
        String id = post(ALPHA_KEY, "/remember", "{\"text\":\"" + fact + "\"}")
                .statusCode(200)
                .extract()
                .path("id");
        post(ALPHA_KEY, "/recall", "{\"query\":\"shed door code\"}")
                .statusCode(200)
                .body("hits.id", hasItem(id));
        post(BETA_KEY, "/recall", "{\"query\":\"shed door code\"}")
                .statusCode(200)
                .body("hits.id", not(hasItem(id)));
    }

    @Test
    void aBatchJobRunsItsLinesThroughTheOtherFunctionsTasks() throws IOException, InterruptedException {
        runsABatchJob(
                "all-test",
                List.of(
                        "{\"customId\":\"g\",\"function\":\"generate\",\"body\":" + CALLS.get("/generate") + "}",
                        "{\"customId\":\"c\",\"function\":\"classify\",\"body\":" + CALLS.get("/classify") + "}"));
    }

    /** Submits the lines as alpha's job from a file under {@code dir}, awaits it and checks every line's result is ok. */
    static void runsABatchJob(String dirName, List<String> lines) throws IOException, InterruptedException {
        Path dir = Path.of("target/batch-files", ALPHA, dirName);
        Files.createDirectories(dir);
        Path input = dir.resolve("lines-" + UUID.randomUUID() + ".jsonl");
        Files.write(input, lines);
        try {
            String jobId = post(
                            ALPHA_KEY, "/batch-submit", "{\"input\":\"" + dirName + "/" + input.getFileName() + "\"}")
                    .statusCode(200)
                    .extract()
                    .path("jobId");
            JsonPath status = awaitCompleted(jobId);
            assertThat(status.getLong("done")).isEqualTo(lines.size());
            assertThat(status.getLong("failed")).isZero();
            Path results = Path.of("target/batch-files", ALPHA).resolve(status.getString("output"));
            assertThat(Files.readAllLines(results))
                    .hasSize(lines.size())
                    .allMatch(line -> line.contains("\"status\":\"ok\""));
        } finally {
            try (var files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    @Test
    void oneRequestRateCoversEveryFunctionOfATenant() {
        gammasFourthRequestIsRefused();
    }

    /** Gamma's bucket holds three requests: whichever functions they go to, the fourth is refused, and alpha is not. */
    static void gammasFourthRequestIsRefused() {
        post(GAMMA_KEY, "/classify", CALLS.get("/classify")).statusCode(200);
        post(GAMMA_KEY, "/recall", CALLS.get("/recall")).statusCode(200);
        post(GAMMA_KEY, "/v1/embeddings", CALLS.get("/v1/embeddings")).statusCode(200);
        post(GAMMA_KEY, "/generate", CALLS.get("/generate"))
                .statusCode(429)
                .header("Retry-After", notNullValue())
                .body("error", is("rate_limited"));
        post(ALPHA_KEY, "/classify", CALLS.get("/classify")).statusCode(200);
    }

    private static JsonPath awaitCompleted(String jobId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        JsonPath last = null;
        while (System.nanoTime() < deadline) {
            last = post(ALPHA_KEY, "/batch-status", "{\"jobId\":\"" + jobId + "\"}")
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            if ("completed".equals(last.getString("state"))) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(
                "Job " + jobId + " did not complete; last status " + (last == null ? null : last.prettify()));
    }
}
