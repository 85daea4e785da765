package dev.engram.functions.memory;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import dev.engram.testing.RedisServer;
import dev.engram.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

/**
 * The memory function needs Redis ({@code engram.memory.required=true}): readiness goes down when
 * redis-server stops and up again when it is back, without a restart; liveness and start-up stay up.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class MemoryReadinessTest {
    static final long BOUND_MS = 20_000;

    @Test
    void readinessFollowsRedis() throws InterruptedException {
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'redis' }.status", is("UP"))
                .body("checks.find { it.name == 'redis' }.data.required", is(true));
        given().get("/q/health/started").then().statusCode(200).body("checks.name", hasItem("model-load"));

        RedisServer redis = RedisTestResource.server();
        redis.stop();
        try {
            long start = System.nanoTime();
            Response down = given().get("/q/health/ready");
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.jsonPath().getString("checks.find { it.name == 'redis' }.status"))
                    .isEqualTo("DOWN");
            assertThat(down.jsonPath().getString("checks.find { it.name == 'redis' }.data.error"))
                    .isNotBlank();
            assertThat((System.nanoTime() - start) / 1_000_000)
                    .as("a bounded probe")
                    .isLessThan(5_000);
            given().get("/q/health/live").then().statusCode(200);
        } finally {
            redis.start();
        }
        long start = System.nanoTime();
        while (given().get("/q/health/ready").statusCode() != 200) {
            assertThat((System.nanoTime() - start) / 1_000_000)
                    .as("ready again after Redis returned")
                    .isLessThan(BOUND_MS);
            Thread.sleep(100);
        }
        given().get("/q/health/ready").then().statusCode(200).body("status", is("UP"));
    }
}
