package dev.engram.functions.memory;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.auth.ApiKeys;
import dev.engram.testing.FunctionProcess;
import dev.engram.testing.RedisServer;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The rate limit is one bucket per tenant for all instances: two packaged memory functions on one
 * redis-server, a burst of 30 requests of one tenant spread over both, and exactly the bucket's 10
 * are served; the other 20 are 429 with Retry-After. Another tenant's bucket is untouched.
 */
class RateLimitSharedIT {
    static Response deleteSession(FunctionProcess function, String key) {
        return given().baseUri(function.uri().toString())
                .contentType(ContentType.JSON)
                .header("Authorization", "Bearer " + key)
                .body("{\"sessionId\":\"nothing\"}")
                .post("/session-delete");
    }

    @Test
    void twoInstancesShareOneBucketPerTenant() {
        Path jar = Path.of(System.getProperty("engram.test.app", "target/quarkus-app/quarkus-run.jar"));
        try (RedisServer redis = new RedisServer().start()) {
            Map<String, String> env = Map.of(
                    "ENGRAM_REDIS_URL",
                    redis.uri(),
                    "ENGRAM_AUTH_KEYS",
                    "alpha:" + ApiKeys.hash("key-a") + ",beta:" + ApiKeys.hash("key-b"),
                    "ENGRAM_LIMITS_REQUESTS_PER_MINUTE",
                    "1",
                    "ENGRAM_LIMITS_BURST",
                    "10");
            try (FunctionProcess one = FunctionProcess.start(jar, env);
                    FunctionProcess two = FunctionProcess.start(jar, env)) {
                List<Integer> accepted = new ArrayList<>();
                int limited = 0;
                for (int i = 0; i < 30; i++) {
                    FunctionProcess instance = i % 2 == 0 ? one : two;
                    Response answer = deleteSession(instance, "key-a");
                    if (answer.statusCode() == 200) {
                        accepted.add(i % 2);
                    } else {
                        assertThat(answer.statusCode()).isEqualTo(429);
                        assertThat(answer.jsonPath().getString("error")).isEqualTo("rate_limited");
                        assertThat(Integer.parseInt(answer.header("Retry-After")))
                                .isBetween(1, 60);
                        limited++;
                    }
                }
                assertThat(accepted).hasSize(10);
                assertThat(limited).isEqualTo(20);
                // both instances served from the one bucket: the first ten alternate between them
                assertThat(accepted).containsOnly(0, 1);
                assertThat(accepted.stream().filter(x -> x == 0).count()).isEqualTo(5);
                // beta has its own bucket
                assertThat(deleteSession(two, "key-b").statusCode()).isEqualTo(200);
            }
        }
    }
}
