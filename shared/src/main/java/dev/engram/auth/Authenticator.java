package dev.engram.auth;

import dev.engram.tenant.Tenant;
import jakarta.enterprise.context.ApplicationScoped;

/** Turns what a request presents (a Bearer key, or a signed CloudEvent) into a {@link Caller}, or a 401. */
@ApplicationScoped
public class Authenticator {
    /** Where the route handler leaves the caller in the RoutingContext. */
    public static final String CALLER = "engram.caller";

    private final AuthConfig config;
    private final ApiKeys keys;

    public Authenticator(AuthConfig config, ApiKeys keys) {
        this.config = config;
        this.keys = keys;
    }

    public boolean enabled() {
        return config.enabled();
    }

    /** From an {@code Authorization} header. */
    public Caller bearer(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw Unauthorized.missing("An API key is required: send 'Authorization: Bearer <key>'");
        }
        String value = authorization.trim();
        if (value.length() < 7
                || !value.regionMatches(true, 0, "Bearer ", 0, 7)
                || value.substring(7).isBlank()) {
            throw Unauthorized.missing("The Authorization header must be 'Bearer <key>'");
        }
        return keys.find(value.substring(7).trim()).orElseThrow(() -> Unauthorized.missing("The API key is not valid"));
    }

    /** From a CloudEvent's {@code engramtenant} / {@code engramsignature} attributes. */
    public Caller event(String tenant, String signature, String eventId) {
        if (config.eventSecret().isEmpty()) {
            throw Unauthorized.missing(
                    "Signed events are not accepted here (no engram.auth.event-secret): send 'Authorization: Bearer <key>'");
        }
        if (tenant == null || signature == null || eventId == null) {
            throw Unauthorized.missing("A CloudEvent needs the attributes '" + EventSignatures.TENANT + "' and '"
                    + EventSignatures.SIGNATURE + "', or an 'Authorization: Bearer <key>' header");
        }
        if (!Tenant.valid(tenant)
                || !EventSignatures.verify(config.eventSecret().get(), tenant, eventId, signature)) {
            throw Unauthorized.missing(
                    "The event's '" + EventSignatures.SIGNATURE + "' does not match its tenant and id");
        }
        return Caller.tenant(tenant);
    }
}
