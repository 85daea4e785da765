package dev.engram.functions.batch;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.engram.testing.ModelTestResource;
import dev.engram.testing.RedisTestResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The batch function as shipped, with no batch roots and URL inputs off: a caller can make it read no
 * file, fetch no URL and write nothing — each refused with a 400 that names the setting an operator
 * would turn on — and no answer quotes what such a file holds.
 */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
@QuarkusTestResource(RedisTestResource.class)
@TestProfile(BatchDefaultsTest.Defaults.class)
class BatchDefaultsTest {
    static final Path DIR = Path.of("target/batch-defaults-test").toAbsolutePath();

    /** The shipped defaults: the test configuration's roots taken away again (an empty value is no value). */
    public static class Defaults implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("engram.batch.input-root", "", "engram.batch.output-root", "");
        }
    }

    @Inject
    RedisDataSource redis;

    @AfterAll
    static void clean() {
        Batch.delete(DIR);
    }

    @Test
    void noFileIsReadNoUrlFetchedAndNothingWritten() throws Exception {
        Path secret = Batch.write(DIR, "secret.txt", List.of("SECRET-TOKEN-7f3a", "root:x:0:0:root:/root:/bin/bash"));
        Path written = DIR.resolve("written.jsonl");
        AtomicInteger fetched = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            fetched.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        try {
            String local = "http://127.0.0.1:" + server.getAddress().getPort() + "/tickets.jsonl";
            Map<String, String> inputs = Map.of(
                    "/etc/passwd",
                    "file_input_disabled",
                    "/proc/self/environ",
                    "file_input_disabled",
                    "file:///etc/passwd",
                    "file_input_disabled",
                    "../../../../../../etc/passwd",
                    "file_input_disabled",
                    secret.toString(),
                    "file_input_disabled",
                    local,
                    "url_input_disabled",
                    "http://169.254.169.254/latest/meta-data/",
                    "url_input_disabled",
                    "https://example.com/tickets.jsonl",
                    "url_input_disabled");
            inputs.forEach((input, code) -> {
                refused(Map.of("input", input), code);
                refused(Map.of("input", input, "output", written.toString()), code);
            });
            assertThat(fetched).as("requests the function sent").hasValue(0);

            // a Redis stream needs no file to read, but the results need a place: the operator's output root
            redis.stream(String.class).xadd("engram:default:batch:input:defaults", Map.of("line", "{}"));
            refused(Map.of("inputStream", "defaults"), "output_not_configured");
            refused(Map.of("inputStream", "defaults", "output", written.toString()), "output_not_configured");
            refused(Map.of("inputStream", "defaults", "output", "/dev/null"), "output_not_configured");
            Response object = given().contentType("application/json")
                    .body(Map.of("bucket", "etc", "name", "passwd"))
                    .post("/batch-object");
            assertThat(object.statusCode()).isEqualTo(400);
            assertThat(object.jsonPath().getString("error")).isEqualTo("storage_not_configured");
            assertThat(written).doesNotExist();
            assertThat(redis.key().keys("engram:default:batch:{default/b*"))
                    .as("no job was created")
                    .isEmpty();
        } finally {
            server.stop(0);
        }
    }

    private static void refused(Map<String, String> body, String code) {
        Response response = given().contentType("application/json").body(body).post("/batch-submit");
        String text = response.asString();
        assertThat(response.statusCode()).as(body + " -> " + text).isEqualTo(400);
        assertThat(response.jsonPath().getString("error"))
                .as(body + " -> " + text)
                .isEqualTo(code);
        assertThat(text).doesNotContain("SECRET").doesNotContain("root:x");
        assertThat(response.jsonPath().getString("message")).contains("engram.batch.");
    }
}
