package dev.engram.auth;

import dev.engram.tenant.Tenant;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What an entry point asks before it runs a task: whose request this is (the caller), and may it run
 * now (admission). The caller is the authenticated one of the HTTP request (or CloudEvent); without an
 * HTTP request (Lambda, GCF) the deployment's {@code engram.auth.trigger-tenant}. Each {@link #admit}
 * spends one request of the tenant's rate limit: call it once per request.
 */
@ApplicationScoped
public class Access {
    private final AuthConfig config;
    private final Limits limits;

    public Access(AuthConfig config, Limits limits) {
        this.config = config;
        this.limits = limits;
        config.triggerTenant().ifPresent(tenant -> {
            if (!Tenant.valid(tenant)) {
                throw new IllegalArgumentException(
                        "engram.auth.trigger-tenant must be 1-64 characters of A-Z a-z 0-9 _ -, got '" + tenant + "'");
            }
        });
    }

    /** Admits the request: takes one request from the caller's rate limit and answers the caller's tenant. */
    public String admit() {
        return admit(current(), null, null);
    }

    /** As {@link #admit()}, also checking the tokens the request asks the model to generate against the tenant's limit. */
    public String admit(Integer requestedTokens, String field) {
        return admit(current(), requestedTokens, field);
    }

    /** For routes outside Funqy (the /v1 surface), which have their RoutingContext at hand. */
    public String admit(RoutingContext ctx, Integer requestedTokens, String field) {
        String tenant = tenantOf(caller(ctx));
        limits.checkTokens(tenant, requestedTokens, field);
        limits.takeRequest(tenant);
        return tenant;
    }

    /** Operator-only endpoints ({@code tenant-erase}). */
    public void requireAdmin() {
        if (config.enabled() && !caller(current()).admin()) {
            throw Unauthorized.forbidden("Only an operator key (engram.auth.admin-keys) may do this");
        }
    }

    private static String tenantOf(Caller caller) {
        if (caller.tenant() == null) {
            throw Unauthorized.forbidden("An operator key has no tenant: use a tenant's key for this endpoint");
        }
        return caller.tenant();
    }

    /** Who is calling: a lookup, which spends nothing. */
    private Caller caller(RoutingContext ctx) {
        if (!config.enabled()) {
            return Caller.tenant(Tenant.DEFAULT.id());
        }
        if (ctx != null) {
            Caller caller = ctx.get(Authenticator.CALLER);
            if (caller == null) {
                throw Unauthorized.missing("The request was not authenticated");
            }
            return caller;
        }
        if (config.triggerAdmin()) {
            return Caller.ADMIN;
        }
        return config.triggerTenant()
                .map(Caller::tenant)
                .orElseThrow(
                        () -> Unauthorized.missing(
                                "This invocation carries no tenant: a Lambda or GCF deployment needs engram.auth.trigger-tenant"));
    }

    /** The HTTP request Funqy (or CloudEventRoutes) is serving, or null (Lambda, GCF). */
    private static RoutingContext current() {
        ArcContainer arc = Arc.container();
        if (arc == null || !arc.requestContext().isActive()) {
            return null;
        }
        var instance = arc.instance(CurrentVertxRequest.class);
        return instance.isAvailable() ? instance.get().getCurrent() : null;
    }
}
