package dev.cnnlab.tracker.job;

import dev.cnnlab.tracker.api.ApiException;
import dev.cnnlab.tracker.experiment.Experiment;
import dev.cnnlab.tracker.job.Job.State;
import dev.cnnlab.tracker.run.Fold;
import dev.cnnlab.tracker.run.Run;
import dev.cnnlab.tracker.run.RunStatus;
import dev.cnnlab.tracker.search.Promotions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Every status transition of jobs, folds and runs, for the workers and the API alike; no other class
 * writes {@code Job.state}, {@code Fold.status} or {@code Run.status} (new rows start QUEUED). A
 * claim ({@link JobQueue#claim}) is the one exception: it only leases a job (QUEUED or expired
 * RUNNING to RUNNING) and touches no fold or run.
 *
 * <p><b>Lock order.</b> Each method runs in one transaction and locks rows in this order:
 * <ol>
 *   <li>the run row, {@code SELECT ... FOR UPDATE}, read afresh ({@link #lockRun}); a transaction that
 *       needs several runs (an experiment's cancel, a claim failing abandoned jobs) takes them in
 *       ascending id;</li>
 *   <li>then that run's job rows: the job a worker holds ({@link #owned}), or every queued or running
 *       job of the run in a bulk update;</li>
 *   <li>then that run's fold rows, written only while their run is locked;</li>
 *   <li>then the experiment row, when a settled run may be the last one before its final fit, or a
 *       run of an ASHA search reached a rung or settled;</li>
 *   <li>last, under the experiment lock, ASHA's runs waiting at a rung ({@link Promotions}), each with
 *       {@code FOR UPDATE SKIP LOCKED}, so it never waits: such a run has no job, so only an API cancel
 *       of it can hold its row, and that cancel decides the rungs again after it.</li>
 * </ol>
 * A worker finishing a fold and an API call cancelling the same run therefore queue on the run row
 * and the second sees what the first wrote; two workers finishing a run's last two folds cannot both
 * miss (or both do) its aggregation; two runs settling together queue on the experiment row, so
 * exactly one queues the final fit. The claim's {@code FOR UPDATE SKIP LOCKED} never waits, so it
 * cannot close a cycle with any of these. ASHA's promotions and stops ({@link SearchSteps}) are
 * transitions of this class too, made in the transactions of {@link #foldSucceeded}, of a settling run
 * and of {@link #cancelledInSearch}.
 */
@ApplicationScoped
public class Lifecycle {
    private static final Logger LOG = Logger.getLogger(Lifecycle.class);

    @Inject
    EntityManager em;
    @ConfigProperty(name = "cnnlab.max-attempts", defaultValue = "3")
    int maxAttempts;

    /** What a started job works on; {@code fold} is null for a final fit. */
    public record Started(Run run, Fold fold) {
    }

    // --- the worker's side ---------------------------------------------------------------------

    /** Run and fold become RUNNING; a run cancelled or finished meanwhile cancels the job instead (null). */
    @Transactional(TxType.MANDATORY)
    public Started started(Claim claim) {
        Run run = lockRun(claim.runId());
        Job job = owned(claim);
        if (job == null) {
            return null;
        }
        Fold fold = fold(job);
        boolean finalFit = job.kind == Job.Kind.FINAL_FIT;
        if (job.cancelRequested || (!finalFit && run.status.finished())) {
            end(job, State.CANCELLED);
            if (fold != null) {
                fold.status = RunStatus.CANCELLED;
            }
            return null;
        }
        if (!finalFit) {
            run.startedAt = run.startedAt == null ? Instant.now() : run.startedAt;
            run.status = RunStatus.RUNNING;
        }
        if (fold != null) {
            fold.status = RunStatus.RUNNING;
            fold.startedAt = fold.startedAt == null ? Instant.now() : fold.startedAt;
        }
        return new Started(run, fold);
    }

    /**
     * The job is DONE and its fold SUCCEEDED, with what {@code record} stores on run and fold; after the
     * run's last fold the run gets its aggregates and SUCCEEDED.
     *
     * <p>Before its last fold, with {@code pruning} in the spec, the run may be PRUNED instead
     * ({@link FoldPruner}): its queued folds are cancelled, a fold still training elsewhere is asked to
     * stop, the run gets the aggregates of the folds it finished and its {@code stopReason}. The decision
     * is made once: only here, with the run's row locked, so two workers finishing two of its folds at the
     * same time decide one after the other, and the second sees the first's fold (and, if the first
     * pruned, a finished run, and returns). The reference is a SUCCEEDED run, whose folds no longer change
     * and which is never pruned, so two runs cannot prune each other; a run that succeeds meanwhile and
     * is not yet visible is seen at this run's next fold.
     *
     * <p>Under ASHA ({@code search} in the spec) a fold job trains to its run's rung; when the run's last
     * fold reaches it, the run is promoted or stopped ({@link #reachedRung}) instead of succeeding.
     */
    @Transactional(TxType.MANDATORY)
    public void foldSucceeded(Claim claim, BiConsumer<Run, Fold> record) {
        Run run = lockRun(claim.runId());
        Job job = owned(claim);
        if (job == null) {
            return;
        }
        end(job, State.DONE);
        job.error = null;
        Fold fold = fold(job);
        fold.status = RunStatus.SUCCEEDED;
        fold.finishedAt = Instant.now();
        record.accept(run, fold);
        if (run.status.finished()) {
            return;   // cancelled or failed meanwhile: keep that verdict
        }
        List<Fold> folds = Fold.list("runId = ?1 order by foldIndex", run.id);
        if (folds.stream().allMatch(f -> f.status == RunStatus.SUCCEEDED)) {
            JobLedger.aggregate(run, folds);
            if (job.targetEpoch != null && job.targetEpoch < run.epochs) {
                reachedRung(run, job.targetEpoch);
                return;
            }
            settle(run, RunStatus.SUCCEEDED, null);
            LOG.infof("run %d SUCCEEDED: accuracy %.4f +- %.4f over %d folds", run.id, run.meanAccuracy,
                    run.stdAccuracy == null ? 0 : run.stdAccuracy, folds.size());
        } else {
            FoldPruner.reason(run, folds).ifPresent(reason -> prune(run, folds, reason));
        }
    }

    /**
     * ASHA: every fold of the run reached its rung's epoch ({@link SearchSteps#reachedRung}); with
     * {@code finalFit}, a run stopped here may have been the experiment's last open one.
     */
    private void reachedRung(Run run, int epoch) {
        Experiment experiment = new SearchSteps(em, maxAttempts).reachedRung(run, epoch);
        if (Boolean.TRUE.equals(experiment.spec.get("finalFit"))) {
            queueFinalFit(experiment);
        }
    }

    /**
     * After an API cancel of a run (its row locked) in an ASHA search: runs waiting at a rung it can no
     * longer reach may be decided now. No final fit follows, as after any cancel.
     */
    @Transactional(TxType.MANDATORY)
    public void cancelledInSearch(long runId) {
        Run run = em.find(Run.class, runId);
        new SearchSteps(em, maxAttempts).decide(em.find(Experiment.class, run.experimentId));
    }

    private void prune(Run run, List<Fold> folds, String reason) {
        cancelQueued(run.id);
        requestCancel(run.id);
        JobLedger.aggregate(run, folds.stream().filter(f -> f.status == RunStatus.SUCCEEDED).toList());
        run.stopReason = reason;
        settle(run, RunStatus.PRUNED, null);
        LOG.infof("run %d %s", run.id, reason);
    }

    /** A final fit's model is stored ({@code record}) and its job is DONE. */
    @Transactional(TxType.MANDATORY)
    public void finalFitSucceeded(Claim claim, Consumer<Run> record) {
        Run run = lockRun(claim.runId());
        Job job = owned(claim);
        if (job != null) {
            record.accept(run);
            end(job, State.DONE);
        }
    }

    /** Queued again while attempts remain and the error may pass, else job, fold and run fail. */
    @Transactional
    public void failed(Claim claim, String error, boolean retryable) {
        Run run = lockRun(claim.runId());
        Job job = owned(claim);
        if (job == null) {
            return;
        }
        if (retryable && job.attempts < job.maxAttempts) {
            LOG.warnf("job %d failed (attempt %d of %d), queued again: %s", job.id, job.attempts, job.maxAttempts, error);
            job.error = error;
            requeue(job);
        } else {
            fail(run, job, error);
        }
    }

    /** Shutdown: the job goes back to the queue at once rather than make others wait for the lease. */
    @Transactional
    public void release(Claim claim) {
        lockRun(claim.runId());
        Job job = owned(claim);
        if (job != null) {
            requeue(job);
            LOG.infof("job %d released for another worker; it resumes from its checkpoint", job.id);
        }
    }

    /** A cancel request reached the running fold; the run is normally CANCELLED already by the API. */
    @Transactional
    public void cancelled(Claim claim) {
        Run run = lockRun(claim.runId());
        Job job = owned(claim);
        if (job == null) {
            return;
        }
        end(job, State.CANCELLED);
        Fold fold = fold(job);
        if (fold != null) {
            fold.status = RunStatus.CANCELLED;
            fold.finishedAt = Instant.now();
        }
        if (!run.status.finished()) {
            cancelQueued(run.id);
            settle(run, RunStatus.CANCELLED, null);
        }
    }

    /**
     * A job whose worker died on its last attempt ({@link JobQueue#ABANDONED}) fails, keeping the error
     * it had; false when it was settled meanwhile or another claimer is failing it.
     */
    @Transactional(TxType.MANDATORY)
    boolean failAbandoned(long jobId, long runId) {
        Run run = lockRun(runId);
        List<?> still = em.createNativeQuery("SELECT id FROM jobs WHERE id = :id AND " + JobQueue.ABANDONED
                + " FOR UPDATE SKIP LOCKED").setParameter("id", jobId).getResultList();
        if (still.isEmpty()) {
            return false;
        }
        Job job = em.find(Job.class, jobId);
        fail(run, job, "worker " + job.leaseOwner + " stopped heartbeating (attempt " + job.attempts + " of "
                + job.maxAttempts + ")" + (job.error == null ? "" : "; last error: " + job.error));
        return true;
    }

    // --- the API's side ------------------------------------------------------------------------

    /**
     * Cancels a QUEUED or RUNNING run: its queued folds now, a running fold through
     * {@code cancel_requested}, which its worker reads on the next heartbeat. A finished run (perhaps a
     * moment ago) keeps its verdict. Returns the status the run had.
     */
    @Transactional
    public RunStatus cancel(long runId, String by) {
        Run run = lockRun(runId);
        RunStatus before = run.status;
        if (!before.finished()) {
            cancelQueued(runId);
            requestCancel(runId);
            finish(run, RunStatus.CANCELLED, run.error);
            run.cancelledBy = by;
            em.flush();
            LOG.infof("run %d cancelled (was %s) by %s", runId, before, by);
        }
        return before;
    }

    /**
     * Queues a FAILED or CANCELLED run again: its failed and cancelled fold jobs get
     * {@code cnnlab.max-attempts} more attempts and resume from their checkpoints; folds that
     * succeeded are kept. 409 for a run in another status, or with a fold still stopping.
     */
    @Transactional
    public void retry(long runId, String by) {
        Run run = lockRun(runId);
        RunStatus before = run.status;
        if (before != RunStatus.FAILED && before != RunStatus.CANCELLED) {
            throw new ApiException(409, "run " + runId + " is " + before
                    + "; only a FAILED or CANCELLED run can be retried");
        }
        if (Job.count("runId = ?1 and state = ?2", runId, State.RUNNING) > 0) {
            throw new ApiException(409, "run " + runId + " still has a fold stopping; retry once it has stopped");
        }
        int jobs = em.createQuery("update Job set state = ?4, cancelRequested = false, error = null,"
                        + " maxAttempts = attempts + ?2, updatedAt = ?3 where runId = ?1 and kind = ?5 and state in ?6")
                .setParameter(1, runId).setParameter(2, maxAttempts).setParameter(3, Instant.now())
                .setParameter(4, State.QUEUED).setParameter(5, Job.Kind.FOLD)
                .setParameter(6, List.of(State.FAILED, State.CANCELLED)).executeUpdate();
        if (jobs == 0 && Job.count("runId", runId) > 0) {
            // every fold job is DONE: an ASHA run cancelled while it waited at a rung has nothing to resume
            throw new ApiException(409, "run " + runId + " has no failed or cancelled fold to queue again");
        }
        em.createQuery("update Fold set status = ?2, error = null, finishedAt = null where runId = ?1 and status in ?3")
                .setParameter(1, runId).setParameter(2, RunStatus.QUEUED)
                .setParameter(3, List.of(RunStatus.FAILED, RunStatus.CANCELLED)).executeUpdate();
        run.status = RunStatus.QUEUED;
        run.error = null;
        run.finishedAt = null;
        run.durationSeconds = null;
        em.flush();
        LOG.infof("run %d retried by %s (was %s): %d fold job(s) queued", runId, by, before, jobs);
    }

    // --- the steps ------------------------------------------------------------------------------

    /**
     * The run row, locked and read afresh: the caller may have read it before, unlocked, and another
     * transaction may have settled it since. Call it once per run and transaction, before changing the run.
     */
    private Run lockRun(long runId) {
        Run run = em.find(Run.class, runId);
        if (run == null) {
            throw ApiException.notFound("run", runId);
        }
        em.refresh(run, LockModeType.PESSIMISTIC_WRITE);
        return run;
    }

    /** The claimed job, locked, if this worker still holds it (run locked first); null when another took it over. */
    private Job owned(Claim claim) {
        Job job = em.find(Job.class, claim.jobId(), LockModeType.PESSIMISTIC_WRITE);
        if (job == null || !claim.owner().equals(job.leaseOwner) || job.state != State.RUNNING) {
            LOG.warnf("job %d is no longer held by %s; dropping its result", claim.jobId(), claim.owner());
            return null;
        }
        return job;
    }

    private void fail(Run run, Job job, String error) {
        LOG.errorf("job %d (run %d fold %s) failed: %s", job.id, job.runId, job.foldIndex, error);
        end(job, State.FAILED);
        job.error = error;
        Fold fold = fold(job);
        if (fold != null) {
            fold.status = RunStatus.FAILED;
            fold.error = error;
            fold.finishedAt = Instant.now();
        }
        if (!run.status.finished()) {
            cancelQueued(run.id);
            settle(run, RunStatus.FAILED, (job.foldIndex == null ? "final fit" : "fold " + job.foldIndex) + ": " + error);
        }
    }

    private void requeue(Job job) {
        end(job, State.QUEUED);
        Fold fold = fold(job);
        if (fold != null) {
            fold.status = RunStatus.QUEUED;
        }
    }

    /** A job leaves RUNNING: its lease is cleared. */
    private static void end(Job job, State state) {
        job.state = state;
        job.leaseOwner = null;
        job.leaseExpiresAt = null;
        job.updatedAt = Instant.now();
    }

    /** A running fold job of the run stops at its worker's next heartbeat. */
    private void requestCancel(long runId) {
        em.createQuery("update Job set cancelRequested = true, updatedAt = ?2 where runId = ?1 and state = ?3")
                .setParameter(1, runId).setParameter(2, Instant.now()).setParameter(3, State.RUNNING)
                .executeUpdate();
    }

    private void cancelQueued(long runId) {
        em.createQuery("update Job set state = ?2, updatedAt = ?3 where runId = ?1 and state = ?4")
                .setParameter(1, runId).setParameter(2, State.CANCELLED).setParameter(3, Instant.now())
                .setParameter(4, State.QUEUED).executeUpdate();
        em.createQuery("update Fold set status = ?2 where runId = ?1 and status = ?3")
                .setParameter(1, runId).setParameter(2, RunStatus.CANCELLED).setParameter(3, RunStatus.QUEUED)
                .executeUpdate();
    }

    static void finish(Run run, RunStatus status, String error) {
        run.status = status;
        run.error = error;
        run.finishedAt = Instant.now();
        if (run.startedAt != null) {
            run.durationSeconds = Duration.between(run.startedAt, run.finishedAt).toMillis() / 1000.0;
        }
    }

    /**
     * A worker settled the run; in an ASHA search, runs waiting at a rung it can no longer reach may be
     * decided now; with {@code finalFit}, the experiment's last settled run queues the final fit.
     */
    private void settle(Run run, RunStatus status, String error) {
        finish(run, status, error);
        em.flush();
        Experiment experiment = em.find(Experiment.class, run.experimentId);
        new SearchSteps(em, maxAttempts).decide(experiment);
        if (Boolean.TRUE.equals(experiment.spec.get("finalFit"))) {
            queueFinalFit(experiment);
        }
    }

    /** Once every run is settled, the best one (highest mean fold accuracy) is trained again on all data. */
    private void queueFinalFit(Experiment experiment) {
        em.refresh(experiment, LockModeType.PESSIMISTIC_WRITE);
        long open = Run.count("experimentId = ?1 and status in ?2", experiment.id,
                List.of(RunStatus.QUEUED, RunStatus.RUNNING));
        long fits = Job.count("kind = ?2 and runId in (select r.id from Run r where r.experimentId = ?1)",
                experiment.id, Job.Kind.FINAL_FIT);
        if (open > 0 || fits > 0) {
            return;
        }
        Run best = Run.<Run>find("experimentId = ?1 and status = ?2 and meanAccuracy is not null"
                + " order by meanAccuracy desc, id", experiment.id, RunStatus.SUCCEEDED).firstResult();
        if (best == null) {
            LOG.warnf("experiment %d: no run succeeded, so there is no final fit", experiment.id);
            return;
        }
        Job job = Job.of(Job.Kind.FINAL_FIT, best.id, null, 3);
        job.persist();
        LOG.infof("experiment %d: final fit of run %d (accuracy %.4f) queued as job %d", experiment.id, best.id,
                best.meanAccuracy, job.id);
    }

    private static Fold fold(Job job) {
        return job.foldIndex == null ? null
                : Fold.find("runId = ?1 and foldIndex = ?2", job.runId, job.foldIndex).firstResult();
    }
}
