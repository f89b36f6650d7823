package dev.cnnlab.tracker.run;

import dev.cnnlab.tracker.api.ApiException;
import dev.cnnlab.tracker.job.Job;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

@ApplicationScoped
public class RunService {
    private static final Logger LOG = Logger.getLogger(RunService.class);

    @Inject
    EntityManager em;
    @Inject
    RunQueries queries;
    @ConfigProperty(name = "cnnlab.max-attempts", defaultValue = "3")
    int maxAttempts;

    public Run find(long id) {
        Run run = Run.findById(id);
        if (run == null) {
            throw ApiException.notFound("run", id);
        }
        return run;
    }

    public RunDetail detail(long id) {
        Run run = find(id);
        List<Fold> folds = Fold.list("runId = ?1 order by foldIndex", id);
        List<Long> foldIds = folds.stream().map(f -> f.id).toList();
        Map<Long, List<EpochMetric>> epochs = foldIds.isEmpty() ? Map.of()
                : EpochMetric.<EpochMetric>list("foldId in ?1 order by epoch", foldIds).stream()
                        .collect(Collectors.groupingBy(m -> m.foldId));
        List<RunDetail.FoldView> foldViews = folds.stream().map(f -> new RunDetail.FoldView(f.foldIndex,
                f.trainSize, f.valSize, f.status, f.bestEpoch, f.accuracy, f.loss, f.perClass, f.confusion,
                epochs.getOrDefault(f.id, List.of()).stream().map(RunDetail.EpochView::of).toList())).toList();
        return new RunDetail(queries.summary(id), run.createdBy, run.cancelledBy, run.hyperparameters,
                run.environment, run.labels == null ? List.of() : run.labels, foldViews);
    }

    /**
     * Queued folds are cancelled now; a running fold gets cancel_requested, which its worker reads
     * on the next heartbeat and stops at the next batch. The run is CANCELLED at once either way, and
     * {@code by} (an API token name) is recorded; 409 when it already SUCCEEDED or FAILED.
     */
    @Transactional
    public RunSummary cancel(long id, String by) {
        RunStatus status = cancelUnlessFinished(id, by);
        if (status == RunStatus.SUCCEEDED || status == RunStatus.FAILED) {
            throw new ApiException(409, "run " + id + " already finished as " + status + "; it cannot be cancelled");
        }
        return queries.summary(id);
    }

    /** As {@link #cancel}, but a run that finished (perhaps a moment ago) is left as it is; returns its status before. */
    @Transactional
    public RunStatus cancelUnlessFinished(long id, String by) {
        Run run = lock(id);
        RunStatus status = run.status();
        if (status == RunStatus.QUEUED || status == RunStatus.RUNNING) {
            Instant now = Instant.now();
            em.createQuery("update Job set state = 'CANCELLED', updatedAt = ?2 where runId = ?1 and state = 'QUEUED'")
                    .setParameter(1, id).setParameter(2, now).executeUpdate();
            em.createQuery("update Job set cancelRequested = true, updatedAt = ?2 where runId = ?1 and state = 'RUNNING'")
                    .setParameter(1, id).setParameter(2, now).executeUpdate();
            em.createQuery("update Fold set status = 'CANCELLED' where runId = ?1 and status = 'QUEUED'")
                    .setParameter(1, id).executeUpdate();
            run.status = RunStatus.CANCELLED.name();
            run.finishedAt = now;
            run.cancelledBy = by;
            if (run.startedAt != null) {
                run.durationSeconds = (now.toEpochMilli() - run.startedAt.toEpochMilli()) / 1000.0;
            }
            em.flush();
            LOG.infof("run %d cancelled (was %s) by %s", id, status, by);
        }
        return status;
    }

    /**
     * The run row, locked for this transaction and read afresh: a worker settling the run at the same
     * moment either finishes first, and this sees its verdict, or waits. Like the workers (JobQueue.owned),
     * this locks the run before any of its jobs, so the two cannot deadlock.
     */
    private Run lock(long id) {
        Run run = find(id);
        em.refresh(run, LockModeType.PESSIMISTIC_WRITE);
        return run;
    }

    /**
     * Queues a FAILED or CANCELLED run again: its failed and cancelled fold jobs get
     * {@code cnnlab.max-attempts} more attempts and resume from their checkpoints (an attempt after
     * the first keeps the checkpoint); folds that succeeded are kept.
     */
    @Transactional
    public RunSummary retry(long id, String by) {
        Run run = lock(id);
        RunStatus status = run.status();
        if (status != RunStatus.FAILED && status != RunStatus.CANCELLED) {
            throw new ApiException(409, "run " + id + " is " + status + "; only a FAILED or CANCELLED run can be retried");
        }
        if (Job.count("runId = ?1 and state = 'RUNNING'", id) > 0) {
            throw new ApiException(409, "run " + id + " still has a fold stopping; retry once it has stopped");
        }
        int jobs = em.createQuery("update Job set state = 'QUEUED', cancelRequested = false, error = null,"
                        + " maxAttempts = attempts + ?2, updatedAt = ?3"
                        + " where runId = ?1 and kind = 'FOLD' and state in ('FAILED', 'CANCELLED')")
                .setParameter(1, id).setParameter(2, maxAttempts).setParameter(3, Instant.now()).executeUpdate();
        em.createQuery("update Fold set status = 'QUEUED', error = null, finishedAt = null"
                        + " where runId = ?1 and status in ('FAILED', 'CANCELLED')")
                .setParameter(1, id).executeUpdate();
        run.status = RunStatus.QUEUED.name();
        run.error = null;
        run.finishedAt = null;
        run.durationSeconds = null;
        em.flush();
        LOG.infof("run %d retried by %s (was %s): %d fold job(s) queued", id, by, status, jobs);
        return queries.summary(id);
    }

    /** Jobs still queued or running for a run; used by tests and the worker's bookkeeping. */
    public long openJobs(long runId) {
        return Job.count("runId = ?1 and state in ('QUEUED', 'RUNNING')", runId);
    }
}
