package dev.engram.inference.models;

import dev.engram.inference.EngineReadiness;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the model is loaded (a function without a model is ready at once); with the remote
 * engine, only while the server's {@code /v1/models} answers.
 */
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
        var response = HealthCheckResponse.named("model")
                .withData("state", state.name().toLowerCase());
        if (state == Models.State.FAILED) {
            response.withData("error", String.valueOf(models.failure()));
        }
        boolean up = state == Models.State.READY || state == Models.State.NOT_USED;
        if (state == Models.State.READY) {
            EngineReadiness engine = models.loaded().readiness();
            up = engine.up();
            engine.details().forEach((name, value) -> {
                if (value instanceof Boolean b) {
                    response.withData(name, b);
                } else if (value instanceof Number n) {
                    response.withData(name, n.longValue());
                } else {
                    response.withData(name, String.valueOf(value));
                }
            });
        }
        return response.status(up).build();
    }
}
