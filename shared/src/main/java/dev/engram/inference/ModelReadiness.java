package dev.engram.inference;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the model is loaded (a function without a model is ready at once). */
@Readiness
@ApplicationScoped
public class ModelReadiness implements HealthCheck {
    private final Models models;

    public ModelReadiness(Models models) {
        this.models = models;
    }

    @Override
    public HealthCheckResponse call() {
        Models.State state = models.state();
        var response = HealthCheckResponse.named("model").withData("state", state.name().toLowerCase());
        if (state == Models.State.FAILED) {
            response.withData("error", String.valueOf(models.failure()));
        }
        return response.status(state == Models.State.READY || state == Models.State.NOT_USED).build();
    }
}
