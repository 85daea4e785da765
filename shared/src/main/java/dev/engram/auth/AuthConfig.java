package dev.engram.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/**
 * Who may call the functions: {@code engram.auth.*}. Keys are never configured in clear, only as the
 * hex SHA-256 of the key ({@code printf %s "$KEY" | sha256sum}).
 */
@ConfigMapping(prefix = "engram.auth")
public interface AuthConfig {

    /** Off only for local use: every request is then in the tenant {@code default} (a loud warning at start-up). */
    @WithDefault("true")
    boolean enabled();

    /**
     * API keys of tenants, each {@code <tenant>:<sha256-hex of the key>} (a list, so it fits one
     * environment variable: {@code ENGRAM_AUTH_KEYS=acme:9f86…,globex:2c26…}). A tenant may have several keys.
     */
    Optional<List<String>> keys();

    /** Hex SHA-256 of the operators' keys: they may call {@code tenant-erase}, and nothing that belongs to a tenant. */
    Optional<List<String>> adminKeys();

    /**
     * Lambda and GCF (no HTTP request to carry a key): the tenant every invocation of this deployment is
     * in. The platform's IAM decides who may invoke it. Without it such invocations are refused.
     */
    Optional<String> triggerTenant();

    /**
     * Lambda and GCF: every invocation of this deployment is an operator's (a {@code tenant-erase}
     * deployment that only operators may invoke). Wins over {@link #triggerTenant()}.
     */
    @WithDefault("false")
    boolean triggerAdmin();

    /**
     * CloudEvents through a broker (which does not pass an Authorization header on): the shared secret of
     * the HMAC-SHA256 signature an event carries in {@code engramsignature} over
     * {@code engramtenant + "\n" + id}. Without it only events with a Bearer key are accepted.
     */
    Optional<String> eventSecret();
}
