package dev.engram.inference.models;

import dev.engram.inference.remote.RemoteEngine;
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
        var response = HealthCheckResponse.named("model").withData("state", state.name().toLowerCase());
        if (state == Models.State.FAILED) {
            response.withData("error", String.valueOf(models.failure()));
        }
        boolean up = state == Models.State.READY || state == Models.State.NOT_USED;
        if (state == Models.State.READY && models.loaded() instanceof RemoteEngine remote) {
            up = remote.serverAnswers();
            response.withData("backend", "remote").withData("server", remote.baseUrl().toString()).withData("serverAnswers", up)
                    .withData("breaker", remote.breakerState());
        }
        return response.status(up).build();
    }
}
