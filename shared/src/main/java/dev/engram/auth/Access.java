package dev.engram.auth;

import dev.engram.tenant.Tenant;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What an entry point asks before it runs a task: whose request this is, and may it run now. The
 * tenant comes from the authenticated caller of the HTTP request (or CloudEvent); without an HTTP
 * request (Lambda, GCF) from the deployment's {@code engram.auth.trigger-tenant}. Each call of
 * {@link #tenant} counts one request against the tenant's rate limit: call it once per request.
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
                throw new IllegalArgumentException("engram.auth.trigger-tenant must be 1-64 characters of A-Z a-z 0-9 _ -, got '" + tenant + "'");
            }
        });
    }

    /** The caller's tenant, after taking one request from its rate limit. */
    public String tenant() {
        return tenant(current(), null, null);
    }

    /** As {@link #tenant()}, also checking the tokens the request asks the model to generate. */
    public String tenant(Integer requestedTokens, String field) {
        return tenant(current(), requestedTokens, field);
    }

    /** For routes outside Funqy (the /v1 surface), which have their RoutingContext at hand. */
    public String tenant(RoutingContext ctx, Integer requestedTokens, String field) {
        String tenant = caller(ctx).tenant();
        if (tenant == null) {
            throw Unauthorized.forbidden("An operator key has no tenant: use a tenant's key for this endpoint");
        }
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
        return config.triggerTenant().map(Caller::tenant).orElseThrow(() -> Unauthorized.missing(
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
