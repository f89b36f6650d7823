package dev.cnnlab.tracker.job;

import dev.cnnlab.tracker.experiment.Experiment;
import dev.cnnlab.tracker.job.Job.State;
import dev.cnnlab.tracker.run.Run;
import dev.cnnlab.tracker.run.RunStatus;
import dev.cnnlab.tracker.search.Asha;
import dev.cnnlab.tracker.search.Promotions;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.Optional;

/**
 * The lifecycle's ASHA transitions, inside its transactions and lock order ({@link Lifecycle}): the
 * experiment row is locked, then {@link Promotions} decides and these steps promote (the run's fold
 * jobs and folds queued again, to the next target, resuming from their checkpoints as a retried fold
 * does) or stop a run (STOPPED_EARLY, its folds too, with the aggregates of its last rung). Not a bean.
 */
final class SearchSteps implements Promotions.Effects {
    private final EntityManager em;
    private final int maxAttempts;

    SearchSteps(EntityManager em, int maxAttempts) {
        this.em = em;
        this.maxAttempts = maxAttempts;
    }

    /**
     * Every fold of the run (locked, with its aggregates at this epoch) reached {@code epoch}: under
     * the experiment's row lock the rung's score is recorded once and every decision now due is taken,
     * in this transaction. A process killed before the commit leaves the fold job RUNNING; its next
     * claim resumes at the rung's epoch, finishes at once and decides again. Returns the experiment.
     */
    Experiment reachedRung(Run run, int epoch) {
        em.flush();
        Experiment experiment = lock(run.experimentId);
        new Promotions(em, search(experiment).orElseThrow(), experiment.id, this).arrived(run, epoch);
        return experiment;
    }

    /** In an ASHA experiment, takes the decisions now due (a run settled or was cancelled). */
    void decide(Experiment experiment) {
        Optional<Asha> search = search(experiment);
        if (search.isPresent()) {
            lock(experiment.id);
            new Promotions(em, search.get(), experiment.id, this).decideAll();
        }
    }

    @Override
    public void promote(Run run, int targetEpoch) {
        em.flush();
        em.createQuery("update Job set state = ?2, targetEpoch = ?3, maxAttempts = attempts + ?4,"
                        + " cancelRequested = false, error = null, updatedAt = ?5 where runId = ?1 and kind = ?6")
                .setParameter(1, run.id).setParameter(2, State.QUEUED).setParameter(3, targetEpoch)
                .setParameter(4, maxAttempts).setParameter(5, Instant.now()).setParameter(6, Job.Kind.FOLD)
                .executeUpdate();
        em.createQuery("update Fold set status = ?2, finishedAt = null where runId = ?1")
                .setParameter(1, run.id).setParameter(2, RunStatus.QUEUED).executeUpdate();
    }

    @Override
    public void stop(Run run, String reason) {
        em.flush();
        em.createQuery("update Fold set status = ?2 where runId = ?1")
                .setParameter(1, run.id).setParameter(2, RunStatus.STOPPED_EARLY).executeUpdate();
        run.stopReason = reason;
        Lifecycle.finish(run, RunStatus.STOPPED_EARLY, null);
        em.flush();
    }

    private static Optional<Asha> search(Experiment experiment) {
        return Asha.fromSpec(experiment.spec);
    }

    private Experiment lock(long experimentId) {
        Experiment experiment = em.find(Experiment.class, experimentId);
        em.refresh(experiment, LockModeType.PESSIMISTIC_WRITE);
        return experiment;
    }
}
