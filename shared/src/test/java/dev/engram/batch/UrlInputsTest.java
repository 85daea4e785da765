package dev.engram.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.engram.errors.InvalidRequestException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** URL inputs against a real HTTP server on loopback: off by default, then only allowed hosts and addresses, bounded. */
class UrlInputsTest {
    record Settings(
            boolean enabled,
            Optional<List<String>> allowedHosts,
            boolean allowHttp,
            Optional<List<String>> internalNetworks,
            long maxBytes,
            Duration timeout,
            int maxRedirects)
            implements BatchConfig.Url {}

    static final byte[] LINES = "{\"a\":1}\n{\"a\":2}\n".getBytes(StandardCharsets.UTF_8);
    HttpServer server;
    String base;
    final AtomicInteger hits = new AtomicInteger();

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            hits.incrementAndGet();
            String path = exchange.getRequestURI().getPath();
            String port = Integer.toString(server.getAddress().getPort());
            switch (path) {
                case "/lines.jsonl" -> {
                    exchange.sendResponseHeaders(200, LINES.length);
                    exchange.getResponseBody().write(LINES);
                }
                case "/big" -> {
                    exchange.sendResponseHeaders(200, 0);
                    try (OutputStream out = exchange.getResponseBody()) {
                        for (int i = 0; i < 64; i++) {
                            out.write(new byte[1024]);
                        }
                    } catch (IOException closedByTheClient) {
                        // expected: the reader gave up at the bound
                    }
                }
                case "/slow" -> {
                    exchange.sendResponseHeaders(200, 0);
                    try (OutputStream out = exchange.getResponseBody()) {
                        for (int i = 0; i < 100; i++) {
                            out.write('{');
                            out.flush();
                            Thread.sleep(200);
                        }
                    } catch (IOException | InterruptedException closedByTheClient) {
                        // expected: the reader gave up at the deadline
                    }
                }
                case "/missing" -> {
                    byte[] body = "SECRET-404 page".getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(404, body.length);
                    exchange.getResponseBody().write(body);
                }
                default -> {
                    String location = switch (path) {
                        case "/to-lines" -> "/lines.jsonl";
                        case "/to-other-loopback" -> "http://127.0.0.2:" + port + "/lines.jsonl";
                        case "/to-metadata" -> "http://169.254.169.254/latest/meta-data/";
                        case "/to-elsewhere" -> "http://not-allowed.example/lines.jsonl";
                        default -> path; // a loop
                    };
                    exchange.getResponseHeaders().add("Location", location);
                    exchange.sendResponseHeaders(302, -1);
                }
            }
            exchange.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    static Settings allowing(String... hosts) {
        return new Settings(
                true,
                Optional.of(List.of(hosts)),
                true,
                Optional.of(List.of("127.0.0.1/32")),
                16 * 1024,
                Duration.ofSeconds(2),
                2);
    }

    @Test
    void offByDefaultAndNothingIsFetched() {
        Settings off = new Settings(
                false,
                Optional.of(List.of("127.0.0.1")),
                true,
                Optional.of(List.of("127.0.0.1/32")),
                1024,
                Duration.ofSeconds(2),
                2);
        assertCode(() -> new UrlInputs(off).check(base + "/lines.jsonl"), "url_input_disabled");
        assertCode(() -> new UrlInputs(off).open(base + "/lines.jsonl"), "url_input_disabled");
        assertThat(hits).hasValue(0);
    }

    @Test
    void anAllowedHostIsReadWhole() throws IOException {
        try (InputStream in = new UrlInputs(allowing("127.0.0.1")).open(base + "/lines.jsonl")) {
            assertThat(in.readAllBytes()).isEqualTo(LINES);
        }
        try (InputStream in = new UrlInputs(allowing("127.0.0.1")).open(base + "/to-lines")) {
            assertThat(in.readAllBytes()).as("a redirect on an allowed host").isEqualTo(LINES);
        }
    }

    @Test
    void schemeHostAndAddressMustAllBeAllowed() {
        UrlInputs urls = new UrlInputs(allowing("127.0.0.1", "127.0.0.2", "169.254.169.254"));
        assertCode(() -> urls.check("ftp://127.0.0.1/x"), "url_not_allowed");
        assertCode(() -> urls.check("http://elsewhere.example/x"), "url_not_allowed");
        assertCode(() -> urls.check("http://user:pw@127.0.0.1/x"), "url_not_allowed");
        assertCode(() -> urls.check("http://127.0.0.2/x"), "url_not_allowed"); // loopback outside the internal network
        assertCode(() -> urls.check("http://169.254.169.254/latest/meta-data/"), "url_not_allowed"); // never
        assertCode(() -> urls.check("http://[::1]/x"), "url_not_allowed");
        assertCode(() -> urls.check("http://127.0.0.1/" + "x".repeat(3000)), "invalid_input");
        assertCode(() -> urls.check("http://127.0.0.1/a b"), "invalid_input");
        Settings httpsOnly = new Settings(
                true,
                Optional.of(List.of("127.0.0.1")),
                false,
                Optional.of(List.of("127.0.0.1/32")),
                1024,
                Duration.ofSeconds(2),
                2);
        assertCode(() -> new UrlInputs(httpsOnly).check(base + "/lines.jsonl"), "url_not_allowed");
        Settings noInternal = new Settings(
                true, Optional.of(List.of("127.0.0.1")), true, Optional.empty(), 1024, Duration.ofSeconds(2), 2);
        assertCode(() -> new UrlInputs(noInternal).check(base + "/lines.jsonl"), "url_not_allowed");
        assertThat(hits).hasValue(0);
        assertThat(urls.check(base + "/lines.jsonl").getPort())
                .isEqualTo(server.getAddress().getPort());
    }

    @Test
    void everyRedirectIsCheckedAgainAndTheirNumberIsBounded() {
        UrlInputs urls = new UrlInputs(allowing("127.0.0.1", "127.0.0.2", "169.254.169.254"));
        assertCode(() -> urls.open(base + "/to-other-loopback"), "url_not_allowed");
        assertCode(() -> urls.open(base + "/to-metadata"), "url_not_allowed");
        assertCode(() -> urls.open(base + "/to-elsewhere"), "url_not_allowed");
        assertThatThrownBy(() -> urls.open(base + "/loop"))
                .isInstanceOfSatisfying(
                        InvalidRequestException.class,
                        e -> assertThat(e.getMessage()).contains("more than 2 times"));
    }

    @Test
    void sizeAndTimeAreBoundedAndAnErrorPageIsNotQuoted() {
        UrlInputs urls = new UrlInputs(allowing("127.0.0.1"));
        assertCode(() -> urls.open(base + "/big").readAllBytes(), "input_too_large");
        long start = System.nanoTime();
        assertCode(() -> urls.open(base + "/slow").readAllBytes(), "input_timeout");
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .as("given up at the deadline")
                .isLessThan(Duration.ofSeconds(10));
        assertThatThrownBy(() -> urls.open(base + "/missing"))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.code()).isEqualTo("input_not_found");
                    assertThat(e.getMessage()).contains("404").doesNotContain("SECRET");
                });
    }

    interface Call {
        void run() throws Exception;
    }

    private static void assertCode(Call call, String code) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(
                        InvalidRequestException.class,
                        e -> assertThat(e.code()).as(e.getMessage()).isEqualTo(code));
    }
}
