package dev.cnnlab.function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only once the model is loaded, so no traffic arrives before predictions can work. */
@Readiness
@ApplicationScoped
public class ModelReadinessCheck implements HealthCheck {

    @Inject
    ModelService models;

    @Override
    public HealthCheckResponse call() {
        var builder = HealthCheckResponse.named("model");
        if (!models.isLoaded()) {
            return builder.down().withData("error", models.loadError()).build();
        }
        var model = models.predictor().model();
        return builder.up()
                .withData("name", model.metadata().name())
                .withData("sha256", model.sha256())
                .build();
    }
}
