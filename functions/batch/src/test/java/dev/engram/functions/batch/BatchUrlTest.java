package dev.engram.functions.batch;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.engram.testing.ModelTestResource;
import dev.engram.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * URL inputs turned on by the operator for one host (a real HTTP server on loopback, its address named
 * as internal): a job reads an allowed URL; a redirect to a host or an address that is not allowed —
 * another loopback address, the cloud metadata address — is refused, as are a body over the size bound
 * and one that does not arrive in time; and what a URL answers is never quoted in an error.
 */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
@QuarkusTestResource(RedisTestResource.class)
@TestProfile(BatchUrlTest.Urls.class)
class BatchUrlTest {
    static HttpServer server;
    static String base;

    public static class Urls implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "engram.batch.url.enabled",
                    "true",
                    "engram.batch.url.allowed-hosts",
                    "127.0.0.1,127.0.0.2,169.254.169.254",
                    "engram.batch.url.allow-http",
                    "true",
                    "engram.batch.url.internal-networks",
                    "127.0.0.1/32",
                    "engram.batch.url.max-bytes",
                    "65536",
                    "engram.batch.url.timeout",
                    "3s");
        }
    }

    @BeforeAll
    static void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String port = Integer.toString(server.getAddress().getPort());
        byte[] lines = String.join("\n", line("u-1"), line("u-2"), line("u-3")).getBytes(StandardCharsets.UTF_8);
        byte[] secret = "SECRET-TOKEN-7f3a is not a request\nroot:x:0:0:root".getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            switch (exchange.getRequestURI().getPath()) {
                case "/tickets.jsonl" -> body(exchange, 200, lines);
                case "/secret.txt" -> body(exchange, 200, secret);
                case "/gone" -> body(exchange, 410, secret);
                case "/huge" -> {
                    exchange.sendResponseHeaders(200, 0);
                    try (OutputStream out = exchange.getResponseBody()) {
                        for (int i = 0; i < 200; i++) {
                            out.write((line("h-" + i) + "\n").repeat(8).getBytes(StandardCharsets.UTF_8));
                        }
                    } catch (IOException closedByTheFunction) {
                        // expected: it stops reading at the bound
                    }
                }
                case "/trickle" -> {
                    exchange.sendResponseHeaders(200, 0);
                    try (OutputStream out = exchange.getResponseBody()) {
                        for (int i = 0; i < 120; i++) {
                            out.write(' ');
                            out.flush();
                            Thread.sleep(250);
                        }
                    } catch (IOException | InterruptedException closedByTheFunction) {
                        // expected: it gives up at the deadline
                    }
                }
                default -> {
                    String location = switch (exchange.getRequestURI().getPath()) {
                        case "/moved" -> "/tickets.jsonl";
                        case "/to-metadata" -> "http://169.254.169.254/latest/meta-data/iam/security-credentials/";
                        default -> "http://127.0.0.2:" + port + "/tickets.jsonl";
                    };
                    exchange.getResponseHeaders().add("Location", location);
                    exchange.sendResponseHeaders(302, -1);
                }
            }
            exchange.close();
        });
        server.start();
        base = "http://127.0.0.1:" + port;
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    static String line(String id) {
        return Batch.line(
                id, "classify", Map.of("text", "The team won the cup.", "labels", Batch.LABELS, "mode", "embedding"));
    }

    static void body(com.sun.net.httpserver.HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    @Test
    void anAllowedUrlIsReadAndItsResultsGoToTheTenantsDirectory() {
        for (String url : List.of(base + "/tickets.jsonl", base + "/moved")) {
            JsonPath done =
                    Batch.awaitCompleted(Batch.submit(Map.of("input", url)).getString("jobId"));
            assertThat(done.getString("input")).isEqualTo(url);
            assertThat(done.getString("output")).isEqualTo(done.getString("jobId") + ".results.jsonl");
            Batch.assertEachCustomIdOnce(Batch.output(Batch.results(done)), 3);
            Batch.deleteResults(done);
        }
    }

    @Test
    void redirectsToAddressesThatAreNotAllowedAreRefused() {
        refused(base + "/to-other-loopback", "url_not_allowed");
        refused(base + "/to-metadata", "url_not_allowed");
        refused("http://127.0.0.2:" + server.getAddress().getPort() + "/tickets.jsonl", "url_not_allowed");
        refused("http://169.254.169.254/latest/meta-data/", "url_not_allowed");
        refused("file:///etc/passwd", "path_not_allowed");
        refused("gopher://127.0.0.1/x", "url_not_allowed");
    }

    @Test
    void sizeAndTimeAreBounded() {
        refused(base + "/huge", "input_too_large");
        long start = System.nanoTime();
        refused(base + "/trickle", "input_timeout");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void whatAUrlAnswersIsNeverQuoted() throws Exception {
        refused(base + "/gone", "input_not_found");
        JsonPath done = Batch.awaitCompleted(
                Batch.submit(Map.of("input", base + "/secret.txt")).getString("jobId"));
        List<JsonNode> results = Batch.output(Batch.results(done));
        assertThat(results).hasSize(2).allSatisfy(result -> {
            assertThat(result.get("error").get("error").asText()).isEqualTo("invalid_json");
            assertThat(result.toString()).doesNotContain("SECRET").doesNotContain("root");
        });
        Batch.deleteResults(done);
    }

    private static void refused(String url, String code) {
        Response response = given().contentType("application/json")
                .body(Map.of("input", url))
                .post("/batch-submit");
        String text = response.asString();
        assertThat(response.statusCode()).as(url + " -> " + text).isEqualTo(400);
        assertThat(response.jsonPath().getString("error"))
                .as(url + " -> " + text)
                .isEqualTo(code);
        assertThat(text).doesNotContain("SECRET").doesNotContain("root:x");
    }
}
