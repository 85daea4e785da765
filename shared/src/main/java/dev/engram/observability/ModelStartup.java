package dev.engram.observability;

import dev.engram.inference.models.Models;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Startup;

/**
 * {@code /q/health/started}: down while the model is still loading, up once the load has ended either
 * way (or when the function has no model). A platform waits for it before it starts probing liveness,
 * so a slow model load is not mistaken for a hung process; a failed load shows on readiness.
 */
@Startup
@ApplicationScoped
public class ModelStartup implements HealthCheck {
    private final Models models;

    public ModelStartup(Models models) {
        this.models = models;
    }

    @Override
    public HealthCheckResponse call() {
        Models.State state = models.state();
        var response = HealthCheckResponse.named("model-load")
                .withData("state", state.name().toLowerCase());
        Models.WarmUp warmUp = models.warmUp();
        if (warmUp != null) {
            response.withData("warmUpMillis", warmUp.millis());
        }
        return response.status(state != Models.State.LOADING).build();
    }
}
