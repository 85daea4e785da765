package dev.engram.functions.batch;

import static dev.engram.testing.AuthProfile.ALPHA;
import static dev.engram.testing.AuthProfile.ALPHA_KEY;
import static dev.engram.testing.AuthProfile.BETA;
import static dev.engram.testing.AuthProfile.BETA_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import dev.engram.batch.BatchKeys;
import dev.engram.batch.BatchStatus;
import dev.engram.erase.TenantEraser;
import dev.engram.tenant.Tenant;
import dev.engram.testing.AuthChecks;
import dev.engram.testing.AuthProfile;
import dev.engram.testing.ModelTestResource;
import dev.engram.testing.RedisTestResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Batch jobs with authentication on: every batch endpoint needs a tenant's key, a job lives and runs in
 * the tenant that submitted it, another tenant can neither see, stop nor resume it, nor read or
 * overwrite its files, and erasing the tenant leaves nothing of it — not even its entry in the
 * cross-tenant set of unfinished jobs.
 */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
@QuarkusTestResource(RedisTestResource.class)
@TestProfile(AuthProfile.class)
class BatchAuthTest {
    static final Path DIR = Batch.dir(ALPHA, "batch-auth-test");

    @Inject
    RedisDataSource redis;

    @Inject
    TenantEraser eraser;

    @AfterAll
    static void clean() {
        Batch.delete(DIR);
    }

    @Test
    void everyBatchEndpointNeedsAValidKey() {
        String job = "{\"jobId\":\"b0000000000000000\"}";
        Map<String, String> bodies = Map.of(
                "/batch-submit",
                job,
                "/batch-status",
                job,
                "/batch-cancel",
                job,
                "/batch-object",
                "{\"bucket\":\"in\",\"name\":\"none.jsonl\"}");
        bodies.forEach(AuthChecks::refusesWithoutAValidKey);
    }

    @Test
    void aJobIsTheSubmittingTenantsAlone() {
        Path input = Batch.write(
                DIR,
                "alpha.jsonl",
                List.of(
                        Batch.line(
                                "a-1",
                                "classify",
                                Map.of("text", "The team won the cup.", "labels", Batch.LABELS, "mode", "embedding")),
                        Batch.line(
                                "a-2",
                                "classify",
                                Map.of(
                                        "text",
                                        "Bake the bread for an hour.",
                                        "labels",
                                        Batch.LABELS,
                                        "mode",
                                        "embedding"))));
        String submit = "{\"input\":\"" + input.toAbsolutePath() + "\"}";
        String jobId = AuthChecks.post(ALPHA_KEY, "/batch-submit", submit)
                .statusCode(200)
                .extract()
                .jsonPath()
                .getString("jobId");
        String job = "{\"jobId\":\"" + jobId + "\"}";

        JsonPath done = awaitCompleted(jobId);
        List<JsonNode> output = Batch.output(Batch.results(ALPHA, done));
        assertThat(output).extracting(l -> l.get("status").asText()).containsOnly("ok");
        Batch.assertEachCustomIdOnce(output, 2);

        for (String path : List.of("/batch-status", "/batch-cancel", "/batch-submit")) {
            AuthChecks.post(BETA_KEY, path, job).statusCode(404).body("error", is("job_not_found"));
        }
        assertThat(keys("engram:" + ALPHA + ":batch:*")).isNotEmpty();
        assertThat(keys("engram:" + BETA + ":batch:*")).isEmpty();
        assertThat(keys("engram:default:batch:*")).isEmpty();
    }

    @Test
    void aTenantCanNeitherReadNorOverwriteAnotherTenantsFiles() {
        Path alphaInput = Batch.write(
                DIR,
                "private.jsonl",
                List.of(Batch.line(
                        "p-1",
                        "classify",
                        Map.of("text", "Secret plans.", "labels", Batch.LABELS, "mode", "embedding"))));
        Path alphaResults = Batch.write(DIR, "private.jsonl.results.jsonl", List.of("{\"customId\":\"p-1\"}"));
        for (String input : List.of(
                alphaInput.toString(), "../" + ALPHA + "/batch-auth-test/private.jsonl", "file://" + alphaInput)) {
            AuthChecks.post(BETA_KEY, "/batch-submit", "{\"input\":\"" + input + "\"}")
                    .statusCode(400)
                    .body("error", is("path_not_allowed"));
        }
        Path betaInput = Batch.write(
                Batch.dir(BETA, "batch-auth-test"),
                "mine.jsonl",
                List.of(Batch.line(
                        "b-1", "classify", Map.of("text", "Rain.", "labels", Batch.LABELS, "mode", "embedding"))));
        for (String output :
                List.of(alphaResults.toString(), "../" + ALPHA + "/batch-auth-test/private.jsonl.results.jsonl")) {
            AuthChecks.post(
                            BETA_KEY,
                            "/batch-submit",
                            "{\"input\":\"" + betaInput + "\",\"output\":\"" + output + "\"}")
                    .statusCode(400)
                    .body("error", is("path_not_allowed"));
        }
        // a link in beta's directory to alpha's file leads outside beta's directory
        Path link = Batch.dir(BETA, "batch-auth-test").resolve("alpha.jsonl");
        try {
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, alphaInput);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AuthChecks.post(BETA_KEY, "/batch-submit", "{\"input\":\"batch-auth-test/alpha.jsonl\"}")
                .statusCode(400)
                .body("error", is("path_not_allowed"));
        assertThat(Batch.output(alphaResults)).hasSize(1);
        assertThat(keys("engram:" + BETA + ":batch:*")).isEmpty();
        Batch.delete(Batch.dir(BETA, "batch-auth-test"));
    }

    @Test
    void erasingATenantRemovesItsJobsAndItsEntriesInTheUnfinishedSet() {
        Path input = Batch.write(
                DIR,
                "erase.jsonl",
                List.of(Batch.line(
                        "e-1",
                        "classify",
                        Map.of("text", "It will rain.", "labels", Batch.LABELS, "mode", "embedding"))));
        String jobId = AuthChecks.post(ALPHA_KEY, "/batch-submit", "{\"input\":\"" + input.toAbsolutePath() + "\"}")
                .statusCode(200)
                .extract()
                .jsonPath()
                .getString("jobId");
        awaitCompleted(jobId);
        // Unfinished entries of both tenants, as a runner would find them mid-job. Beta's job is being
        // loaded by another instance, so this instance's runner leaves its entry alone (it drops entries
        // of jobs that are gone).
        BatchKeys beta = BatchKeys.of(BETA, "bfeedfacefeedface");
        redis.execute(
                "HSET",
                beta.meta(),
                "state",
                BatchStatus.LOADING,
                "loadedAt",
                Long.toString(System.currentTimeMillis() + Duration.ofHours(1).toMillis()));
        redis.execute("SADD", BatchKeys.GLOBAL_UNFINISHED, ALPHA + "/bdeadbeefdeadbeef", beta.globalMember());

        eraser.erase(Tenant.of(ALPHA));

        assertThat(keys("engram:" + ALPHA + ":*")).isEmpty();
        List<String> unfinished = new ArrayList<>();
        redis.execute("SMEMBERS", BatchKeys.GLOBAL_UNFINISHED).forEach(m -> unfinished.add(m.toString()));
        assertThat(unfinished).noneMatch(m -> m.startsWith(ALPHA + "/")).contains(BETA + "/bfeedfacefeedface");
        AuthChecks.post(ALPHA_KEY, "/batch-status", "{\"jobId\":\"" + jobId + "\"}")
                .statusCode(404);
        redis.execute("SREM", BatchKeys.GLOBAL_UNFINISHED, beta.globalMember());
        redis.execute("DEL", beta.meta());
    }

    private static JsonPath awaitCompleted(String jobId) {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        JsonPath last = null;
        while (System.nanoTime() < deadline) {
            last = AuthChecks.post(ALPHA_KEY, "/batch-status", "{\"jobId\":\"" + jobId + "\"}")
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            if ("completed".equals(last.getString("state"))) {
                return last;
            }
            Batch.sleep(100);
        }
        throw new AssertionError(
                "Job " + jobId + " did not complete; last status " + (last == null ? null : last.prettify()));
    }

    private List<String> keys(String pattern) {
        List<String> found = new ArrayList<>();
        redis.execute("KEYS", pattern).forEach(k -> found.add(k.toString()));
        return found;
    }
}
