package dev.cnnlab.tracker.job;

import dev.cnnlab.training.loop.EpochMetrics;
import dev.cnnlab.tracker.run.RunStatus;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The queue is the jobs table. A claim locks one row with {@code FOR UPDATE SKIP LOCKED}, so
 * concurrent workers (threads or processes) never get the same job; the lease, kept alive by
 * heartbeats and timed by the database clock, is what hands the job of a dead worker to another.
 * Everything else that changes a job, its fold or its run is a {@link Lifecycle} transition.
 */
@ApplicationScoped
public class JobQueue {
    private static final Logger LOG = Logger.getLogger(JobQueue.class);

    @Inject
    EntityManager em;
    @Inject
    AgroalDataSource dataSource;
    @Inject
    Lifecycle lifecycle;
    @Inject
    QueueMetrics metrics;

    /** Jobs a worker can claim now: queued, or running with an expired lease and an attempt left. */
    static final String CLAIMABLE = "(state = '%s' OR (state = '%s' AND lease_expires_at < now() AND attempts < max_attempts))"
            .formatted(Job.State.QUEUED, Job.State.RUNNING);
    /** Jobs whose worker died on their last attempt: they fail at the next claim. */
    static final String ABANDONED = "(state = '%s' AND lease_expires_at < now() AND attempts >= max_attempts)"
            .formatted(Job.State.RUNNING);

    /** What a heartbeat learned: keep going, stop because cancelled, or stop because the lease is gone. */
    public enum Beat { OK, CANCELLED, LOST }

    /**
     * Claims the oldest queued job, or a running one whose lease expired; optionally only jobs of
     * one experiment (tests, or a worker dedicated to one experiment).
     */
    @Transactional
    public Optional<Claim> claim(String owner, int leaseSeconds, Long experimentId) {
        failExhausted(experimentId);
        String scope = experimentId == null ? "" : " AND run_id IN (SELECT id FROM runs WHERE experiment_id = :experiment)";
        var select = em.createNativeQuery("SELECT id FROM jobs WHERE " + CLAIMABLE + scope
                + " ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED");
        if (experimentId != null) {
            select.setParameter("experiment", experimentId);
        }
        List<?> ids = select.getResultList();
        if (ids.isEmpty()) {
            return Optional.empty();
        }
        long id = ((Number) ids.get(0)).longValue();
        metrics.claiming(id);
        em.createNativeQuery("UPDATE jobs SET state = :running, attempts = attempts + 1, lease_owner = :owner,"
                        + " lease_expires_at = now() + make_interval(secs => :lease), heartbeat_at = now(),"
                        + " updated_at = now() WHERE id = :id")
                .setParameter("running", Job.State.RUNNING.name()).setParameter("owner", owner)
                .setParameter("lease", leaseSeconds).setParameter("id", id).executeUpdate();
        Job job = em.find(Job.class, id);
        em.refresh(job);
        if (job.attempts > 1) {
            LOG.infof("job %d (run %d fold %s) claimed again by %s, attempt %d of %d", id, job.runId, job.foldIndex,
                    owner, job.attempts, job.maxAttempts);
        }
        return Optional.of(new Claim(id, job.kind, job.runId, job.foldIndex, job.attempts,
                job.maxAttempts, owner, job.targetEpoch));
    }

    /** Jobs whose worker died on their last attempt fail here, their runs locked in ascending id. */
    private void failExhausted(Long experimentId) {
        String scope = experimentId == null ? "" : " AND run_id IN (SELECT id FROM runs WHERE experiment_id = :experiment)";
        var select = em.createNativeQuery("SELECT id, run_id FROM jobs WHERE " + ABANDONED + scope
                + " ORDER BY run_id, id");
        if (experimentId != null) {
            select.setParameter("experiment", experimentId);
        }
        for (Object found : select.getResultList()) {
            Object[] row = (Object[]) found;
            if (lifecycle.failAbandoned(((Number) row[0]).longValue(), ((Number) row[1]).longValue())) {
                metrics.leaseExpired("failed");
            }
        }
    }

    /** Extends the lease; also reports a cancel request (or a run pruned) or a lease another worker took over. */
    public Beat heartbeat(Claim claim, int leaseSeconds) {
        String sql = "UPDATE jobs SET lease_expires_at = now() + make_interval(secs => ?), heartbeat_at = now()"
                + " WHERE id = ? AND lease_owner = ? AND state = ?"
                + " RETURNING cancel_requested OR EXISTS (SELECT 1 FROM runs r WHERE r.id = run_id AND r.status IN (?, ?))";
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            st.setInt(1, leaseSeconds);
            st.setLong(2, claim.jobId());
            st.setString(3, claim.owner());
            st.setString(4, Job.State.RUNNING.name());
            st.setString(5, RunStatus.CANCELLED.name());
            st.setString(6, RunStatus.PRUNED.name());
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return Beat.LOST;
                }
                return rs.getBoolean(1) ? Beat.CANCELLED : Beat.OK;
            }
        } catch (SQLException e) {
            // a missed beat is not fatal: the lease is several beats long
            LOG.warnf("heartbeat of job %d failed: %s", claim.jobId(), e.getMessage());
            return Beat.OK;
        }
    }

    /**
     * Stores one epoch. A live epoch replaces a row already there (a fold trained again from scratch,
     * its checkpoint lost, records its epochs anew); an epoch restored from a checkpoint only fills a
     * gap, keeping the row that was recorded when it was trained.
     */
    public void recordEpoch(long foldId, EpochMetrics m, boolean replace) {
        String onConflict = !replace ? "DO NOTHING" : """
                DO UPDATE SET train_loss = EXCLUDED.train_loss, train_accuracy = EXCLUDED.train_accuracy,
                    val_loss = EXCLUDED.val_loss, val_accuracy = EXCLUDED.val_accuracy,
                    learning_rate = EXCLUDED.learning_rate, seconds = EXCLUDED.seconds,
                    images_per_sec = EXCLUDED.images_per_sec, recorded_at = now()""";
        String sql = """
                INSERT INTO epoch_metrics (fold_id, epoch, train_loss, train_accuracy, val_loss, val_accuracy,
                                           learning_rate, seconds, images_per_sec)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT ON CONSTRAINT uq_epoch_metrics_fold_epoch
                """ + onConflict;
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            st.setLong(1, foldId);
            st.setInt(2, m.epoch());
            double[] values = {m.trainLoss(), m.trainAccuracy(), m.valLoss(), m.valAccuracy(), m.learningRate(),
                    m.seconds(), m.imagesPerSec()};
            for (int i = 0; i < values.length; i++) {
                if (Double.isFinite(values[i])) {
                    st.setDouble(3 + i, values[i]);
                } else {
                    st.setNull(3 + i, Types.DOUBLE);   // NaN: no validation set
                }
            }
            metrics.epochRecorded(st.executeUpdate(), m, replace);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record epoch " + m.epoch() + " of fold " + foldId + ": "
                    + e.getMessage(), e);
        }
    }
}
