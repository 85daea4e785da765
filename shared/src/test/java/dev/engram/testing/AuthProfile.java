package dev.engram.testing;

import dev.engram.auth.ApiKeys;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.HashMap;
import java.util.Map;

/**
 * Authentication on, with two tenants ({@code alpha}, {@code beta}) and an operator key; the config
 * holds only the keys' SHA-256, as in production. Subclass it to add more overrides.
 */
public class AuthProfile implements QuarkusTestProfile {
    public static final String ALPHA = "alpha";
    public static final String BETA = "beta";
    public static final String ALPHA_KEY = "ak-alpha-7f3e9c1d2b4a";
    public static final String BETA_KEY = "ak-beta-5d8c2e7a9f01";
    public static final String ADMIN_KEY = "ak-admin-3c6b1f8e4d27";
    /** A well-formed key nobody was given. */
    public static final String WRONG_KEY = "ak-alpha-7f3e9c1d2b4b";

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>();
        config.put("engram.auth.enabled", "true");
        config.put(
                "engram.auth.keys", ALPHA + ":" + ApiKeys.hash(ALPHA_KEY) + "," + BETA + ":" + ApiKeys.hash(BETA_KEY));
        config.put("engram.auth.admin-keys", ApiKeys.hash(ADMIN_KEY));
        config.putAll(extra());
        return config;
    }

    protected Map<String, String> extra() {
        return Map.of();
    }

    public static String bearer(String key) {
        return "Bearer " + key;
    }
}
