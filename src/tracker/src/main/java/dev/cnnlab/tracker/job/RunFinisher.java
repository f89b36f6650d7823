package dev.cnnlab.tracker.job;

import dev.cnnlab.tracker.experiment.Experiment;
import dev.cnnlab.tracker.run.Fold;
import dev.cnnlab.tracker.run.Run;
import dev.cnnlab.tracker.run.RunStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Settles a run once its folds are settled. Every method runs inside the caller's transaction and
 * locks the run row first, so two workers finishing the last two folds at once cannot both miss
 * (or both do) the aggregation.
 */
@ApplicationScoped
public class RunFinisher {
    private static final Logger LOG = Logger.getLogger(RunFinisher.class);

    @Inject
    EntityManager em;
    @Inject
    FinalFit finalFit;

    Run lock(long runId) {
        return em.find(Run.class, runId, LockModeType.PESSIMISTIC_WRITE);
    }

    /** After a fold succeeded: when all folds have, the run gets its aggregates and SUCCEEDED. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void foldSucceeded(long runId) {
        Run run = lock(runId);
        if (run.status().finished()) {
            return;   // cancelled or failed meanwhile: keep that verdict
        }
        List<Fold> folds = Fold.list("runId = ?1 order by foldIndex", runId);
        if (folds.stream().anyMatch(f -> !RunStatus.SUCCEEDED.name().equals(f.status))) {
            return;
        }
        double[] acc = folds.stream().mapToDouble(f -> f.accuracy == null ? Double.NaN : f.accuracy).toArray();
        double mean = java.util.Arrays.stream(acc).average().orElse(Double.NaN);
        double var = java.util.Arrays.stream(acc).map(a -> (a - mean) * (a - mean)).sum() / Math.max(1, acc.length - 1);
        run.meanAccuracy = Double.isFinite(mean) ? mean : null;
        run.stdAccuracy = Double.isFinite(var) ? Math.sqrt(var) : null;
        run.imagesPerSec = folds.stream().filter(f -> f.imagesPerSec != null).mapToDouble(f -> f.imagesPerSec)
                .average().stream().boxed().findFirst().orElse(null);
        settle(run, RunStatus.SUCCEEDED, null);
        LOG.infof("run %d SUCCEEDED: accuracy %.4f +- %.4f over %d folds", runId, mean, run.stdAccuracy == null ? 0 : run.stdAccuracy, acc.length);
    }

    /** A fold failed for good: the run fails with its error, and its queued folds are cancelled. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void runFailed(long runId, String error) {
        Run run = lock(runId);
        if (run.status().finished()) {
            return;
        }
        cancelQueued(runId);
        settle(run, RunStatus.FAILED, error);
    }

    /** A running fold stopped on a cancel request; the run is normally CANCELLED already by the API. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void runCancelled(long runId) {
        Run run = lock(runId);
        if (!run.status().finished()) {
            cancelQueued(runId);
            settle(run, RunStatus.CANCELLED, null);
        }
    }

    private void cancelQueued(long runId) {
        em.createQuery("update Job set state = 'CANCELLED', updatedAt = ?2 where runId = ?1 and state = 'QUEUED'")
                .setParameter(1, runId).setParameter(2, Instant.now()).executeUpdate();
        em.createQuery("update Fold set status = 'CANCELLED' where runId = ?1 and status = 'QUEUED'")
                .setParameter(1, runId).executeUpdate();
    }

    private void settle(Run run, RunStatus status, String error) {
        run.status = status.name();
        run.error = error;
        run.finishedAt = Instant.now();
        if (run.startedAt != null) {
            run.durationSeconds = Duration.between(run.startedAt, run.finishedAt).toMillis() / 1000.0;
        }
        em.flush();
        Experiment experiment = em.find(Experiment.class, run.experimentId);
        if (Boolean.TRUE.equals(experiment.spec.get("finalFit"))) {
            finalFit.afterRun(experiment);
        }
    }
}
