package dev.engram.web;

import dev.engram.auth.Access;
import dev.engram.auth.ApiKeys;
import dev.engram.auth.Authenticator;
import dev.engram.auth.Caller;
import dev.engram.auth.EventSignatures;
import dev.engram.auth.Limits;
import dev.engram.errors.EngramException;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Authenticates every HTTP request before any function, the {@code /v1} routes or the CloudEvent
 * dispatch sees it (only {@code /q/*}, health and metrics, is open): the caller goes into the
 * RoutingContext for {@link Access}, or the request ends with 401 {@code unauthorized} and
 * {@code WWW-Authenticate: Bearer}. A body larger than the tenant may send is refused here (413) by its
 * Content-Length, before it is read.
 */
@ApplicationScoped
public class AuthRoutes {
    private static final Logger LOG = Logger.getLogger(AuthRoutes.class);

    private final Authenticator authenticator;
    private final ApiKeys keys;
    private final Limits limits;
    private final ErrorResponses errors;

    public AuthRoutes(Authenticator authenticator, ApiKeys keys, Limits limits, ErrorResponses errors) {
        this.authenticator = authenticator;
        this.keys = keys;
        this.limits = limits;
        this.errors = errors;
    }

    void install(@Observes Router router) {
        router.route().order(RouteOrder.AUTH.value()).handler(this::check);
    }

    void announce(@Observes StartupEvent started) {
        if (!authenticator.enabled()) {
            LOG.warn(
                    "*** AUTHENTICATION IS DISABLED (engram.auth.enabled=false): every caller is tenant 'default', with no key."
                            + " For local use only: never expose this instance. ***");
        } else if (keys.size() == 0) {
            LOG.warn(
                    "Authentication is on but no key is configured (engram.auth.keys): every request will be refused with 401");
        } else {
            LOG.infof("Authentication is on: %d key(s) configured", keys.size());
        }
    }

    private void check(RoutingContext ctx) {
        if (!authenticator.enabled() || isOpen(ctx.normalizedPath())) {
            ctx.next();
            return;
        }
        try {
            Caller caller;
            String authorization = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
            String eventTenant = ctx.request().getHeader("ce-" + EventSignatures.TENANT);
            if (authorization != null) {
                caller = authenticator.bearer(authorization);
            } else if (eventTenant != null) {
                caller = authenticator.event(
                        eventTenant,
                        ctx.request().getHeader("ce-" + EventSignatures.SIGNATURE),
                        ctx.request().getHeader("ce-id"));
            } else {
                caller = authenticator.bearer(null);
            }
            ctx.put(Authenticator.CALLER, caller);
            checkSize(ctx, caller);
        } catch (EngramException e) {
            refuse(ctx, e);
            return;
        }
        ctx.next();
    }

    private void checkSize(RoutingContext ctx, Caller caller) {
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null || caller.tenant() == null) {
            return;
        }
        long max = limits.maxBodyBytes(caller.tenant());
        try {
            if (Long.parseLong(length.trim()) > max) {
                throw new EngramException(
                        413,
                        "request_too_large",
                        "The request body is larger than this tenant's limit of " + max + " bytes");
            }
        } catch (NumberFormatException e) {
            throw new EngramException(400, "invalid_request", "Content-Length is not a number");
        }
    }

    private void refuse(RoutingContext ctx, EngramException error) {
        if (error.status() == 401) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"engram\"");
        }
        if (ctx.normalizedPath().startsWith("/v1/")) {
            errors.openAi(ctx, error);
        } else {
            ctx.fail(error); // HttpErrors: the JSON body, or an error event for a CloudEvent
        }
    }

    private static boolean isOpen(String path) {
        return path.equals("/q") || path.startsWith("/q/");
    }
}
