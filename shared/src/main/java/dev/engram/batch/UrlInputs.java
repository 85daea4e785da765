package dev.engram.batch;

import dev.engram.errors.InvalidRequestException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * URL inputs, off unless the operator turns them on ({@code engram.batch.url.*}): the function would
 * fetch whatever a caller names, from wherever it runs — its own loopback, the private network, a cloud
 * metadata service. When on, a URL must be {@code https} ({@code http} only if allowed) to a host on the
 * allow-list, and every address the host resolves to must pass {@link Addresses}; redirects are followed
 * by hand, each new location checked the same way. The JVM caches what it resolved (30 s by default), so
 * the connection goes to an address that was checked. The whole download has a size and a time bound.
 */
final class UrlInputs {
    static final int MAX_URL_CHARS = 2048;

    private final BatchConfig.Url config;
    private final List<Addresses.Block> internal;

    UrlInputs(BatchConfig.Url config) {
        this.config = config;
        this.internal =
                Addresses.blocks(config.internalNetworks().orElse(List.of()).toArray(String[]::new));
    }

    /** The URL if this input may be fetched, else a 400 saying why. */
    URI check(String url) {
        if (!config.enabled()) {
            throw new InvalidRequestException(
                    "url_input_disabled",
                    "Batch jobs may not read URLs here: an operator enables them with engram.batch.url.enabled and engram.batch.url.allowed-hosts");
        }
        if (url.length() > MAX_URL_CHARS) {
            throw new InvalidRequestException(
                    "invalid_input", "'input' is longer than " + MAX_URL_CHARS + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new InvalidRequestException("invalid_input", "'input' is not a usable URL: " + e.getReason());
        }
        String scheme = String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(scheme.equals("http") && config.allowHttp())) {
            throw new InvalidRequestException(
                    "url_not_allowed",
                    "An input URL must be https" + (config.allowHttp() ? " or http" : "") + ": " + url);
        }
        String host = uri.getHost();
        if (host == null || uri.getRawUserInfo() != null || !allowedHost(host.toLowerCase(Locale.ROOT))) {
            throw new InvalidRequestException(
                    "url_not_allowed", "The input URL's host is not one this function may fetch from: " + url);
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new InvalidRequestException("input_not_found", "The input URL's host cannot be resolved: " + host);
        }
        for (InetAddress address : addresses) {
            String refusal = Addresses.refusal(address, internal);
            if (refusal != null) {
                throw new InvalidRequestException(
                        "url_not_allowed", "The input URL's host " + host + " resolves to " + refusal);
            }
        }
        return uri;
    }

    /**
     * The body of {@code url}, after at most {@code max-redirects} checked redirects; reading it fails once
     * it passes {@code max-bytes} or the whole download passes {@code timeout} (the client is shut down,
     * which ends a read that waits).
     */
    InputStream open(String url) throws IOException {
        long deadline = System.nanoTime() + config.timeout().toNanos();
        HttpClient client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(HttpClient.Builder.NO_PROXY)
                .connectTimeout(config.timeout())
                .build();
        CompletableFuture.delayedExecutor(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .execute(client::shutdownNow);
        try {
            URI uri = check(url);
            for (int redirects = 0; ; redirects++) {
                HttpRequest request = HttpRequest.newBuilder(uri)
                        .timeout(remaining(deadline))
                        .GET()
                        .build();
                HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
                int status = response.statusCode();
                var location = response.headers().firstValue("Location");
                if (status / 100 == 3 && location.isPresent()) {
                    response.body().close();
                    if (redirects >= config.maxRedirects()) {
                        throw new InvalidRequestException(
                                "url_not_allowed",
                                "The input URL redirects more than " + config.maxRedirects()
                                        + " times (engram.batch.url.max-redirects)");
                    }
                    uri = check(redirect(uri, location.get()));
                    continue;
                }
                if (status != 200) {
                    response.body().close();
                    throw new InvalidRequestException("input_not_found", "The input URL answered HTTP " + status);
                }
                return new Bounded(response.body(), config.maxBytes(), deadline, config.timeout(), client);
            }
        } catch (InterruptedException e) {
            client.shutdownNow();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (IOException | RuntimeException e) {
            client.shutdownNow();
            if (e instanceof IOException && System.nanoTime() >= deadline) {
                throw timedOut(config.timeout());
            }
            throw e;
        }
    }

    private static String redirect(URI from, String location) {
        try {
            return from.resolve(location).toString();
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("input_not_found", "The input URL redirects to an unusable location");
        }
    }

    private static InvalidRequestException timedOut(Duration timeout) {
        return new InvalidRequestException(
                "input_timeout",
                "The input URL was not read within " + timeout.toSeconds() + " s (engram.batch.url.timeout)");
    }

    private boolean allowedHost(String host) {
        for (String allowed : config.allowedHosts().orElse(List.of())) {
            String entry = allowed.trim().toLowerCase(Locale.ROOT);
            if (entry.equals(host) || entry.startsWith("*.") && host.endsWith(entry.substring(1))) {
                return true;
            }
        }
        return false;
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
    }

    /** The body, failing once more than {@code max} bytes came or the deadline passed; closing it shuts the client down. */
    private static final class Bounded extends FilterInputStream {
        private final long max;
        private final long deadline;
        private final Duration timeout;
        private final HttpClient client;
        private long read;

        Bounded(InputStream in, long max, long deadline, Duration timeout, HttpClient client) {
            super(in);
            this.max = max;
            this.deadline = deadline;
            this.timeout = timeout;
            this.client = client;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n;
            try {
                n = super.read(b, off, len);
            } catch (IOException e) {
                if (System.nanoTime() >= deadline) {
                    throw timedOut(timeout); // the client was shut down at the deadline
                }
                throw e;
            }
            if (n > 0 && (read += n) > max) {
                throw new InvalidRequestException(
                        "input_too_large",
                        "The input URL's body is larger than " + max + " bytes (engram.batch.url.max-bytes)");
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } finally {
                client.shutdownNow();
            }
        }
    }
}
