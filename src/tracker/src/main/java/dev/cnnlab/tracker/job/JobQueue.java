package dev.cnnlab.tracker.job;

import dev.cnnlab.training.loop.EpochMetrics;
import dev.cnnlab.tracker.run.Fold;
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
 */
@ApplicationScoped
public class JobQueue {
    private static final Logger LOG = Logger.getLogger(JobQueue.class);

    @Inject
    EntityManager em;
    @Inject
    AgroalDataSource dataSource;
    @Inject
    RunFinisher finisher;
    @Inject
    QueueMetrics metrics;

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
        var select = em.createNativeQuery("SELECT id FROM jobs WHERE (state = 'QUEUED' OR (state = 'RUNNING'"
                + " AND lease_expires_at < now() AND attempts < max_attempts))" + scope
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
        em.createNativeQuery("UPDATE jobs SET state = 'RUNNING', attempts = attempts + 1, lease_owner = :owner,"
                        + " lease_expires_at = now() + make_interval(secs => :lease), heartbeat_at = now(),"
                        + " updated_at = now() WHERE id = :id")
                .setParameter("owner", owner).setParameter("lease", leaseSeconds).setParameter("id", id)
                .executeUpdate();
        Job job = em.find(Job.class, id);
        em.refresh(job);
        if (job.attempts > 1) {
            LOG.infof("job %d (run %d fold %s) claimed again by %s, attempt %d of %d", id, job.runId, job.foldIndex,
                    owner, job.attempts, job.maxAttempts);
        }
        return Optional.of(new Claim(id, Job.Kind.valueOf(job.kind), job.runId, job.foldIndex, job.attempts,
                job.maxAttempts, owner));
    }

    /** A job whose worker died on its last attempt fails here, keeping the error it had. */
    private void failExhausted(Long experimentId) {
        String exhausted = "state = 'RUNNING' AND lease_expires_at < now() AND attempts >= max_attempts";
        String scope = experimentId == null ? "" : " AND run_id IN (SELECT id FROM runs WHERE experiment_id = :experiment)";
        var select = em.createNativeQuery("SELECT id, run_id FROM jobs WHERE " + exhausted + scope);
        if (experimentId != null) {
            select.setParameter("experiment", experimentId);
        }
        for (Object found : select.getResultList()) {
            Object[] row = (Object[]) found;
            finisher.lock(((Number) row[1]).longValue());   // the run before its job, as in owned()
            List<?> still = em.createNativeQuery("SELECT id FROM jobs WHERE id = :id AND " + exhausted
                    + " FOR UPDATE SKIP LOCKED").setParameter("id", row[0]).getResultList();
            if (still.isEmpty()) {
                continue;   // settled meanwhile, or another claimer is failing it
            }
            Job job = em.find(Job.class, ((Number) row[0]).longValue());
            String error = "worker " + job.leaseOwner + " stopped heartbeating (attempt " + job.attempts + " of "
                    + job.maxAttempts + ")" + (job.error == null ? "" : "; last error: " + job.error);
            metrics.leaseExpired("failed");
            fail(job, error);
        }
    }

    /** Extends the lease; also reports a cancel request or a lease another worker took over. */
    public Beat heartbeat(Claim claim, int leaseSeconds) {
        String sql = "UPDATE jobs SET lease_expires_at = now() + make_interval(secs => ?), heartbeat_at = now()"
                + " WHERE id = ? AND lease_owner = ? AND state = 'RUNNING'"
                + " RETURNING cancel_requested OR EXISTS (SELECT 1 FROM runs r WHERE r.id = run_id AND r.status = 'CANCELLED')";
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            st.setInt(1, leaseSeconds);
            st.setLong(2, claim.jobId());
            st.setString(3, claim.owner());
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

    /**
     * Locks the job's run, then the job if this worker still owns it; null when another worker took it
     * over. Every transaction that changes a run and its jobs locks the run row first (RunService's
     * cancel and retry too), so a worker and an API call on the same run cannot deadlock.
     */
    Job owned(Claim claim) {
        finisher.lock(claim.runId());
        Job job = em.find(Job.class, claim.jobId(), jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        if (job == null || !claim.owner().equals(job.leaseOwner) || !Job.State.RUNNING.name().equals(job.state)) {
            LOG.warnf("job %d is no longer held by %s; dropping its result", claim.jobId(), claim.owner());
            return null;
        }
        return job;
    }

    /** Retries while attempts remain, else fails the job, its fold and its run. */
    @Transactional
    public void failed(Claim claim, String error, boolean retryable) {
        Job job = owned(claim);
        if (job == null) {
            return;
        }
        if (retryable && job.attempts < job.maxAttempts) {
            LOG.warnf("job %d failed (attempt %d of %d), queued again: %s", job.id, job.attempts, job.maxAttempts, error);
            job.error = error;
            requeue(job);
            return;
        }
        fail(job, error);
    }

    private void fail(Job job, String error) {
        LOG.errorf("job %d (run %d fold %s) failed: %s", job.id, job.runId, job.foldIndex, error);
        job.state = Job.State.FAILED.name();
        job.error = error;
        clearLease(job);
        Fold fold = fold(job);
        if (fold != null) {
            fold.status = "FAILED";
            fold.error = error;
            fold.finishedAt = java.time.Instant.now();
        }
        finisher.runFailed(job.runId, (job.foldIndex == null ? "final fit" : "fold " + job.foldIndex) + ": " + error);
    }

    /** Shutdown: give the job back at once rather than make others wait for the lease. */
    @Transactional
    public void release(Claim claim) {
        Job job = owned(claim);
        if (job != null) {
            requeue(job);
            LOG.infof("job %d released for another worker; it resumes from its checkpoint", job.id);
        }
    }

    /** A cancel request reached the running fold. */
    @Transactional
    public void cancelled(Claim claim) {
        Job job = owned(claim);
        if (job == null) {
            return;
        }
        job.state = Job.State.CANCELLED.name();
        clearLease(job);
        Fold fold = fold(job);
        if (fold != null) {
            fold.status = "CANCELLED";
            fold.finishedAt = java.time.Instant.now();
        }
        finisher.runCancelled(job.runId);
    }

    private void requeue(Job job) {
        job.state = Job.State.QUEUED.name();
        clearLease(job);
        Fold fold = fold(job);
        if (fold != null) {
            fold.status = "QUEUED";
        }
    }

    static void clearLease(Job job) {
        job.leaseOwner = null;
        job.leaseExpiresAt = null;
        job.updatedAt = java.time.Instant.now();
    }

    static Fold fold(Job job) {
        return job.foldIndex == null ? null
                : Fold.find("runId = ?1 and foldIndex = ?2", job.runId, job.foldIndex).firstResult();
    }
}
