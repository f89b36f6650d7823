package dev.cnnlab.function;

import dev.cnnlab.inference.nn.CnnModel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The function's own Prometheus metrics on {@code GET /q/metrics}, through Micrometer:
 * {@code cnnlab_predictions_total{label}} (images answered, by most probable label),
 * {@code cnnlab_shed_requests_total{reason}} ({@link LoadShedder}'s 503s: {@code full} at once,
 * {@code timeout} after waiting), {@code cnnlab_inflight_requests} and
 * {@code cnnlab_queued_requests} (POSTs holding or waiting for a prediction slot) and
 * {@code cnnlab_model_info{name,version,sha256}} (1 once the model is loaded). Requests by
 * endpoint and status, with a latency histogram, are Quarkus's
 * {@code http_server_requests_seconds}, given buckets here.
 */
@ApplicationScoped
public class FunctionMetrics {
    // from 1 ms (a small model's prediction) to 10 s (a batch of large JPEGs)
    private static final long[] LATENCY_BUCKETS_MS = {1, 2, 5, 10, 25, 50, 100, 250, 500, 1000,
        2500, 5000, 10000};

    @Inject
    MeterRegistry registry;

    /** Counts one answered image under its most probable label. */
    void predicted(String topLabel) {
        Counter.builder("cnnlab.predictions").description("Images answered, by top label")
                .tag("label", topLabel).register(registry).increment();
    }

    /** Counts one request refused by the load shedder. */
    void shed(String reason) {
        Counter.builder("cnnlab.shed.requests").description("Requests refused with 503 by the"
                + " load shedder").tag("reason", reason).register(registry).increment();
    }

    void loadShedder(Supplier<Number> running, Supplier<Number> waiting) {
        Gauge.builder("cnnlab.inflight.requests", running).description("POSTs holding a"
                + " prediction slot").register(registry);
        Gauge.builder("cnnlab.queued.requests", waiting).description("POSTs waiting for a"
                + " prediction slot").register(registry);
    }

    void modelLoaded(CnnModel model) {
        Gauge.builder("cnnlab.model.info", () -> 1).description("The loaded model")
                .tag("name", model.metadata().name()).tag("version", Dto.version(model))
                .tag("sha256", model.sha256()).register(registry);
    }

    /** Histogram buckets for Quarkus's HTTP server timer (it has none by default). */
    @Produces
    @Singleton
    MeterFilter latencyHistogram() {
        double[] nanos = new double[LATENCY_BUCKETS_MS.length];
        for (int i = 0; i < nanos.length; i++) {
            nanos[i] = Duration.ofMillis(LATENCY_BUCKETS_MS[i]).toNanos();
        }
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id,
                    DistributionStatisticConfig config) {
                if (!id.getName().equals("http.server.requests")) {
                    return config;
                }
                return DistributionStatisticConfig.builder().serviceLevelObjectives(nanos)
                        .build().merge(config);
            }
        };
    }
}
