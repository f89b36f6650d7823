package dev.cnnlab.tracker.run;

import dev.cnnlab.tracker.api.ApiException;
import dev.cnnlab.tracker.job.Lifecycle;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

@ApplicationScoped
public class RunService {
    @Inject
    RunQueries queries;
    @Inject
    Lifecycle lifecycle;

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
        return new RunDetail(queries.summary(id), run.createdBy, run.cancelledBy, run.stopReason, run.hyperparameters,
                run.environment, run.labels == null ? List.of() : run.labels, foldViews);
    }

    /**
     * Cancels the run ({@link Lifecycle#cancel}) and records {@code by} (an API token name); 409 when
     * it already SUCCEEDED or FAILED.
     */
    @Transactional
    public RunSummary cancel(long id, String by) {
        RunStatus status = lifecycle.cancel(id, by);
        if (status == RunStatus.SUCCEEDED || status == RunStatus.FAILED) {
            throw new ApiException(409, "run " + id + " already finished as " + status + "; it cannot be cancelled");
        }
        if (!status.finished()) {
            lifecycle.cancelledInSearch(id);   // ASHA: runs waiting on it at a rung may be decided now
        }
        return queries.summary(id);
    }

    /** Queues a FAILED or CANCELLED run again ({@link Lifecycle#retry}). */
    @Transactional
    public RunSummary retry(long id, String by) {
        lifecycle.retry(id, by);
        return queries.summary(id);
    }
}
