package dev.engram.functions.generate;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.inference.Cancellation;
import dev.engram.inference.FinishReason;
import dev.engram.inference.GenerationRequest;
import dev.engram.inference.GenerationResult;
import dev.engram.inference.Prompt;
import dev.engram.inference.Sampling;
import dev.engram.inference.remote.RemoteConfigs;
import dev.engram.inference.remote.RemoteEngine;
import dev.engram.testing.FunctionProcess;
import dev.engram.testing.RedisServer;
import dev.engram.testing.ReferenceCases;
import dev.engram.testing.TestModels;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The remote engine against a real OpenAI-compatible server: a packaged generate function (Jlama on
 * stories260K) serves /v1, and a second packaged generate function with
 * {@code engram.inference.backend=remote} calls it. Both answer the same; when the server dies the
 * remote-backed one says so with a 503 in bounded time.
 */
class RemoteBackendIT {

    static JsonPath generate(FunctionProcess function, Object... fields) {
        Map<String, Object> body = new HashMap<>();
        for (int i = 0; i < fields.length; i += 2) {
            body.put((String) fields[i], fields[i + 1]);
        }
        return given().baseUri(function.uri().toString())
                .contentType(ContentType.JSON)
                .body(body)
                .post("/generate")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    @Test
    void aRemoteBackedFunctionAnswersAsTheServerItCallsAndFailsCleanlyWhenItIsGone() {
        Path model = TestModels.stories260K();
        Path jar = Path.of(System.getProperty("engram.test.app", "target/quarkus-app/quarkus-run.jar"));
        try (RedisServer redis = new RedisServer().start();
                FunctionProcess server = FunctionProcess.start(
                        jar, Map.of("ENGRAM_MODEL_PATH", model.toString(), "ENGRAM_REDIS_URL", redis.uri()));
                FunctionProcess client = FunctionProcess.start(
                        jar,
                        Map.of(
                                "ENGRAM_REDIS_URL",
                                redis.uri(),
                                "ENGRAM_INFERENCE_BACKEND",
                                "remote",
                                "ENGRAM_INFERENCE_REMOTE_BASE_URL",
                                server.uri() + "/v1",
                                "ENGRAM_INFERENCE_REMOTE_CHAT_TEMPLATE",
                                "false",
                                "ENGRAM_INFERENCE_REMOTE_TOKENIZER",
                                model.toString(),
                                "ENGRAM_INFERENCE_REMOTE_BREAKER_OPEN_DURATION",
                                "3s"))) {
            for (ReferenceCases.Case c : ReferenceCases.load(model)) {
                Object[] request = {"prompt", c.prompt(), "temperature", 0, "maxTokens", c.maxTokens()};
                JsonPath direct = generate(server, request);
                JsonPath remote = generate(client, request);
                assertThat(remote.getString("text"))
                        .isEqualTo(direct.getString("text"))
                        .isEqualTo(c.text());
                assertThat(remote.getString("finishReason")).isEqualTo(direct.getString("finishReason"));
                assertThat(remote.getString("model")).isEqualTo("stories260K");
                assertThat(remote.getInt("usage.promptTokens")).isEqualTo(direct.getInt("usage.promptTokens"));
                assertThat(remote.getInt("usage.completionTokens")).isEqualTo(direct.getInt("usage.completionTokens"));
                assertThat(remote.getDouble("timings.timeToFirstTokenMs"))
                        .isPositive()
                        .isLessThan(remote.getDouble("timings.totalMs"));
            }
            // System prompt, stop strings and seeded sampling travel too.
            Object[] options = {
                "system",
                "A story.",
                "prompt",
                "The dog",
                "temperature",
                0.8,
                "seed",
                11,
                "maxTokens",
                40,
                "stop",
                List.of("Lily")
            };
            assertThat(generate(client, options).getString("text"))
                    .isEqualTo(generate(server, options).getString("text"));

            // A JSON schema travels as response_format: the server constrains its output, the answer is the same
            // document.
            Object[] json = {
                "prompt",
                "Tell me about Tom",
                "seed",
                5,
                "maxTokens",
                150,
                "json",
                StructuredOutputTest.schema(StructuredOutputTest.PERSON)
            };
            JsonPath remoteJson = generate(client, json);
            assertThat(remoteJson.getString("text"))
                    .isEqualTo(generate(server, json).getString("text"));
            assertThat(remoteJson.getBoolean("jsonComplete")).isTrue();
            assertThat(dev.engram.testing.SchemaValidator.errors(
                            StructuredOutputTest.PERSON, remoteJson.getString("text")))
                    .isEmpty();

            // Working memory through the remote engine: the same turns fit the window (tokens counted with the
            // model's tokenizer, loaded alone), so the third turn sees the same prompt and gets the same answer.
            JsonPath directThird = null;
            JsonPath remoteThird = null;
            for (String prompt : List.of("Once upon a time", "The dog", "Lily wanted to")) {
                directThird = generate(server, "sessionId", "direct", "prompt", prompt, "maxTokens", 24, "echo", true);
                remoteThird = generate(client, "sessionId", "remote", "prompt", prompt, "maxTokens", 24, "echo", true);
            }
            assertThat(remoteThird.getString("prompt"))
                    .isEqualTo(directThird.getString("prompt"))
                    .contains("The dog");
            assertThat(remoteThird.getString("text")).isEqualTo(directThird.getString("text"));
            assertThat(remoteThird.getInt("memory.turnTokens")).isEqualTo(directThird.getInt("memory.turnTokens"));

            // The remote-backed function serves the OpenAI surface as well, with the context it learnt.
            JsonPath models = given().baseUri(client.uri().toString())
                    .get("/v1/models")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            assertThat(models.getString("data[0].id")).isEqualTo("stories260K");
            assertThat(models.getInt("data[0].max_model_len")).isEqualTo(512);
            Response streamed = given().baseUri(client.uri().toString())
                    .contentType(ContentType.JSON)
                    .body(Map.of(
                            "messages",
                            List.of(Map.of("role", "user", "content", "Once upon a time")),
                            "temperature",
                            0,
                            "max_tokens",
                            24,
                            "stream",
                            true))
                    .post("/v1/chat/completions");
            assertThat(streamed.contentType()).startsWith("text/event-stream");
            assertThat(streamed.asString()).endsWith("data: [DONE]\n\n").contains("\"completion_tokens\":24");

            given().baseUri(client.uri().toString())
                    .get("/q/health/ready")
                    .then()
                    .statusCode(200);

            cancellingClosesTheStreamAndFreesTheServer(server);

            server.kill();
            long start = System.nanoTime();
            Response down = given().baseUri(client.uri().toString())
                    .contentType(ContentType.JSON)
                    .body(Map.of("prompt", "Once upon a time", "maxTokens", 8))
                    .post("/generate");
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.header("Retry-After")).isNotBlank();
            assertThat(down.jsonPath().getString("error")).isEqualTo("remote_unavailable");
            assertThat(down.jsonPath().getString("message"))
                    .contains(server.uri().toString())
                    .contains("3 attempts");
            // Default policy: 2 retries after 250 ms and 500 ms; refused connections fail at once.
            assertThat(millis).isBetween(700L, 5_000L);
            given().baseUri(client.uri().toString())
                    .get("/q/health/ready")
                    .then()
                    .statusCode(503);

            breakerOpensAndTheRestartedServerClosesIt(
                    client,
                    jar,
                    Map.of(
                            "ENGRAM_MODEL_PATH",
                            model.toString(),
                            "ENGRAM_REDIS_URL",
                            redis.uri(),
                            "PORT",
                            Integer.toString(server.uri().getPort())));
        }
    }

    /**
     * With the server still dead, two more failed calls (threshold 3) open the breaker: the next call is a
     * fast 503 that does not even try to connect. The server restarted at its address, the breaker lets a
     * probe through after its open duration (3 s here) and the function answers again.
     */
    private static void breakerOpensAndTheRestartedServerClosesIt(
            FunctionProcess client, Path jar, Map<String, String> serverEnv) {
        Map<String, Object> body = Map.of("prompt", "Once upon a time", "maxTokens", 8);
        for (int i = 0; i < 2; i++) {
            Response failed = given().baseUri(client.uri().toString())
                    .contentType(ContentType.JSON)
                    .body(body)
                    .post("/generate");
            assertThat(failed.statusCode()).isEqualTo(503);
            assertThat(failed.jsonPath().getString("error")).isEqualTo("remote_unavailable");
        }
        long start = System.nanoTime();
        Response fast = given().baseUri(client.uri().toString())
                .contentType(ContentType.JSON)
                .body(body)
                .post("/generate");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(fast.statusCode()).isEqualTo(503);
        assertThat(fast.jsonPath().getString("error")).isEqualTo("inference_unavailable");
        assertThat(fast.header("Retry-After")).isIn("1", "2", "3");
        // a failed call waits 250 + 500 ms of backoff alone; an open breaker does not connect or wait at all
        assertThat(millis)
                .as("an open breaker answers without the retries' backoff")
                .isLessThan(700);
        given().baseUri(client.uri().toString())
                .get("/q/health/ready")
                .then()
                .statusCode(503)
                .body(
                        "checks.find { it.name == 'model' }.data.breaker",
                        org.hamcrest.Matchers.oneOf("open", "half_open"));

        try (FunctionProcess restarted = FunctionProcess.start(jar, serverEnv)) {
            long deadline = System.nanoTime() + 20_000_000_000L;
            Response answer;
            while ((answer = given().baseUri(client.uri().toString())
                                    .contentType(ContentType.JSON)
                                    .body(body)
                                    .post("/generate"))
                            .statusCode()
                    != 200) {
                assertThat(answer.statusCode()).isEqualTo(503);
                assertThat(answer.jsonPath().getString("error")).isEqualTo("inference_unavailable");
                assertThat(System.nanoTime())
                        .as("the breaker closes once the server is back")
                        .isLessThan(deadline);
                sleep(200);
            }
            assertThat(answer.jsonPath().getString("text"))
                    .isNotEmpty()
                    .satisfies(text -> assertThat(", there was a little girl named Lily. She loved to play outside")
                            .startsWith(text));
            given().baseUri(client.uri().toString())
                    .get("/q/health/ready")
                    .then()
                    .statusCode(200)
                    .body("checks.find { it.name == 'model' }.data.breaker", org.hamcrest.Matchers.is("closed"));
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A stream cancelled after its first piece ends at once, and the server stops generating: the
     * tokens it counts for that generation stay well under the ~340 of the whole story (counted,
     * not timed: the engine finishes the whole story in well under the time an HTTP call takes).
     */
    private static void cancellingClosesTheStreamAndFreesTheServer(FunctionProcess server) {
        Map<String, String> output = Map.of("gen_ai_token_type", "output");
        PrometheusText before = PrometheusText.scrape(server.uri());
        try (RemoteEngine engine = RemoteEngine.create(RemoteConfigs.to(server.uri() + "/v1"))) {
            Cancellation cancellation = new Cancellation();
            GenerationResult cancelled = engine.generate(
                    new GenerationRequest(
                            Prompt.of("Once upon a time"), Sampling.GREEDY, 480, List.of("zzzz"), cancellation),
                    text -> cancellation.cancel());
            assertThat(cancelled.finishReason()).isEqualTo(FinishReason.CANCELLED);
            assertThat(cancelled.completionTokens()).isLessThan(20);
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        PrometheusText after;
        // the generation's tokens are counted as it ends, and its slot is released just after that
        while ((after = PrometheusText.scrape(server.uri())).value("gen_ai_client_token_usage_count", output)
                        == before.value("gen_ai_client_token_usage_count", output)
                || after.value("engram_generations_active", Map.of()) != 0) {
            assertThat(System.nanoTime())
                    .as("the server ends the abandoned generation and frees its slot")
                    .isLessThan(deadline);
            sleep(20);
        }
        double serverTokens = after.value("gen_ai_client_token_usage_sum", output)
                - before.value("gen_ai_client_token_usage_sum", output);
        // the disconnect reaches the server within a few dozen tokens; the whole story would be ~340
        assertThat(serverTokens)
                .as("tokens the server generated for the cancelled stream")
                .isLessThan(250);
        JsonPath next = generate(server, "prompt", "Once", "maxTokens", 1);
        assertThat(next.getInt("usage.completionTokens")).isEqualTo(1);
    }
}
