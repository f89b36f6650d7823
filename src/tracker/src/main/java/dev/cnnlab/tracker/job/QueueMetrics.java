package dev.cnnlab.tracker.job;

import dev.cnnlab.training.loop.EpochMetrics;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The job queue's Prometheus metrics on {@code GET /q/metrics} (Micrometer):
 * {@code cnnlab_jobs{state}} and {@code cnnlab_job_queue_depth} (jobs a worker could claim now),
 * gauges that query the jobs table at each scrape, so they count the jobs of every tracker and
 * worker process; {@code cnnlab_epochs_recorded_total}, {@code cnnlab_worker_images_per_second{worker}}
 * (the last epoch this process's workers trained) and {@code cnnlab_lease_expiries_total{outcome}}
 * (expired leases a claim found: {@code reclaimed}, or {@code failed} when no attempt was left).
 */
@ApplicationScoped
public class QueueMetrics {
    @Inject
    MeterRegistry registry;
    @Inject
    AgroalDataSource dataSource;
    @Inject
    EntityManager em;

    private final Map<String, AtomicReference<Double>> imagesPerSecond = new ConcurrentHashMap<>();

    void register(@Observes StartupEvent event) {
        for (Job.State state : Job.State.values()) {
            Gauge.builder("cnnlab.jobs", this, m -> m.count("state = '" + state.name() + "'"))
                    .description("Jobs by state").tag("state", state.name()).register(registry);
        }
        Gauge.builder("cnnlab.job.queue.depth", this, m -> m.count(JobQueue.CLAIMABLE))
                .description("Jobs a worker could claim now").register(registry);
    }

    /** An epoch row written by {@link JobQueue#recordEpoch}; {@code live}: trained just now. */
    void epochRecorded(int rows, EpochMetrics m, boolean live) {
        if (rows > 0) {
            Counter.builder("cnnlab.epochs.recorded").description("Epoch rows written")
                    .register(registry).increment();
        }
        if (live && Double.isFinite(m.imagesPerSec())) {
            imagesPerSecond.computeIfAbsent(JobWorker.owner(), worker -> {
                var last = new AtomicReference<>(Double.NaN);
                Gauge.builder("cnnlab.worker.images.per.second", last, AtomicReference::get)
                        .description("Training throughput of the worker's last epoch")
                        .tag("worker", worker).register(registry);
                return last;
            }).set(m.imagesPerSec());
        }
    }

    /** Called by a claim, in its transaction, on the job it is about to take. */
    void claiming(long jobId) {
        Object state = em.createNativeQuery("SELECT state FROM jobs WHERE id = :id")
                .setParameter("id", jobId).getSingleResult();
        if (Job.State.RUNNING.name().equals(state)) {
            leaseExpired("reclaimed");
        }
    }

    void leaseExpired(String outcome) {
        Counter.builder("cnnlab.lease.expiries").description("Expired job leases found by claims")
                .tag("outcome", outcome).register(registry).increment();
    }

    // NaN when the database cannot answer: a gap in the graph rather than a wrong number
    private double count(String where) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement("SELECT count(*) FROM jobs WHERE " + where);
                ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return Double.NaN;
        }
    }
}
