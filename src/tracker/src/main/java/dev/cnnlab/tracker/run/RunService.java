package dev.cnnlab.tracker.run;

import dev.cnnlab.tracker.api.ApiException;
import dev.cnnlab.tracker.job.Job;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

@ApplicationScoped
public class RunService {
    private static final Logger LOG = Logger.getLogger(RunService.class);

    @Inject
    EntityManager em;
    @Inject
    RunQueries queries;

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
        return new RunDetail(queries.summary(id), run.hyperparameters, run.environment,
                run.labels == null ? List.of() : run.labels, foldViews);
    }

    /**
     * Queued folds are cancelled now; a running fold gets cancel_requested, which its worker reads
     * on the next heartbeat and stops at the next batch. The run is CANCELLED at once either way.
     */
    @Transactional
    public RunSummary cancel(long id) {
        Run run = find(id);
        RunStatus status = run.status();
        if (status == RunStatus.SUCCEEDED || status == RunStatus.FAILED) {
            throw new ApiException(409, "run " + id + " already finished as " + status + "; it cannot be cancelled");
        }
        if (status != RunStatus.CANCELLED) {
            Instant now = Instant.now();
            em.createQuery("update Job set state = 'CANCELLED', updatedAt = ?2 where runId = ?1 and state = 'QUEUED'")
                    .setParameter(1, id).setParameter(2, now).executeUpdate();
            em.createQuery("update Job set cancelRequested = true, updatedAt = ?2 where runId = ?1 and state = 'RUNNING'")
                    .setParameter(1, id).setParameter(2, now).executeUpdate();
            em.createQuery("update Fold set status = 'CANCELLED' where runId = ?1 and status = 'QUEUED'")
                    .setParameter(1, id).executeUpdate();
            run.status = RunStatus.CANCELLED.name();
            run.finishedAt = now;
            if (run.startedAt != null) {
                run.durationSeconds = (now.toEpochMilli() - run.startedAt.toEpochMilli()) / 1000.0;
            }
            em.flush();
            LOG.infof("run %d cancelled (was %s)", id, status);
        }
        return queries.summary(id);
    }

    /** Jobs still queued or running for a run; used by tests and the worker's bookkeeping. */
    public long openJobs(long runId) {
        return Job.count("runId = ?1 and state in ('QUEUED', 'RUNNING')", runId);
    }
}
