package dev.engram.inference.remote;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Remote-engine settings for tests that build engines without Quarkus. */
public record RemoteConfigs(
        Optional<String> baseUrl,
        Optional<String> model,
        Optional<Integer> contextLength,
        Optional<Path> tokenizer,
        int maxRetries,
        Duration backoff,
        Duration readTimeout,
        int breakerFailureThreshold,
        Duration breakerOpenDuration)
        implements RemoteConfig {

    /** The breaker at its defaults (3 failures, 10 s open). */
    public RemoteConfigs(
            Optional<String> baseUrl,
            Optional<String> model,
            Optional<Integer> contextLength,
            Optional<Path> tokenizer,
            int maxRetries,
            Duration backoff,
            Duration readTimeout) {
        this(baseUrl, model, contextLength, tokenizer, maxRetries, backoff, readTimeout, 3, Duration.ofSeconds(10));
    }

    public RemoteConfigs breaker(int failureThreshold, Duration openDuration) {
        return new RemoteConfigs(
                baseUrl,
                model,
                contextLength,
                tokenizer,
                maxRetries,
                backoff,
                readTimeout,
                failureThreshold,
                openDuration);
    }

    public static RemoteConfigs unused() {
        return to(null);
    }

    public static RemoteConfigs to(String baseUrl) {
        return new RemoteConfigs(
                Optional.ofNullable(baseUrl),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                2,
                Duration.ofMillis(100),
                Duration.ofSeconds(10));
    }

    public RemoteConfigs retries(int retries, Duration firstBackoff) {
        return new RemoteConfigs(
                baseUrl,
                model,
                contextLength,
                tokenizer,
                retries,
                firstBackoff,
                readTimeout,
                breakerFailureThreshold,
                breakerOpenDuration);
    }

    public RemoteConfigs tokenizer(Path dir) {
        return new RemoteConfigs(
                baseUrl,
                model,
                contextLength,
                Optional.of(dir),
                maxRetries,
                backoff,
                readTimeout,
                breakerFailureThreshold,
                breakerOpenDuration);
    }

    public RemoteConfigs readTimeout(Duration timeout) {
        return new RemoteConfigs(
                baseUrl,
                model,
                contextLength,
                tokenizer,
                maxRetries,
                backoff,
                timeout,
                breakerFailureThreshold,
                breakerOpenDuration);
    }

    @Override
    public Optional<String> apiKey() {
        return Optional.empty();
    }

    @Override
    public Duration connectTimeout() {
        return Duration.ofSeconds(2);
    }

    @Override
    public Duration maxBackoff() {
        return Duration.ofSeconds(2);
    }

    @Override
    public boolean chatTemplate() {
        return false;
    }
}
