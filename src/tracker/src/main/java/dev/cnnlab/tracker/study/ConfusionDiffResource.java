package dev.cnnlab.tracker.study;

import dev.cnnlab.tracker.api.ApiException;
import dev.cnnlab.tracker.run.Run;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/runs/{id}/confusion-diff?against=BASE}: how run {@code id}'s confusion matrix
 * differs from the baseline's, per class with the spread over the folds both finished. The worker
 * stores each fold's matrix at its best epoch, so this view is at the best epoch whatever the
 * summary metric elsewhere; the answer says so.
 */
@Path("/api/runs/{id}/confusion-diff")
@Produces(MediaType.APPLICATION_JSON)
public class ConfusionDiffResource {

    public record Answer(long runId, long baselineId, String epoch, boolean sameSplits, ConfusionDiff.Result diff) {
    }

    @GET
    public Answer diff(@PathParam("id") long runId, @QueryParam("against") Long baselineId) {
        if (baselineId == null) {
            throw ApiException.badRequest("against is required: the baseline run's id, e.g. against=3");
        }
        Run run = find(runId);
        Run base = find(baselineId);
        if (run.labels == null || base.labels == null || !run.labels.equals(base.labels)) {
            throw ApiException.badRequest("runs " + baselineId + " and " + runId + " do not have the same class labels ("
                    + base.labels + " against " + run.labels + "); their confusion matrices cannot be compared");
        }
        Map<Long, List<FoldRecord>> folds = FoldRecord.load(List.of(baselineId, runId));
        try {
            ConfusionDiff.Result diff = ConfusionDiff.of(run.labels, matrices(folds.get(baselineId)),
                    matrices(folds.get(runId)));
            boolean sameSplits = run.seed == base.seed && run.folds == base.folds
                    && run.hyperparameters.get("dataset") != null
                    && run.hyperparameters.get("dataset").equals(base.hyperparameters.get("dataset"));
            return new Answer(runId, baselineId, "best epoch", sameSplits, diff);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("runs " + baselineId + " and " + runId + ": " + e.getMessage());
        }
    }

    private static Map<Integer, List<List<Integer>>> matrices(List<FoldRecord> folds) {
        Map<Integer, List<List<Integer>>> byFold = new LinkedHashMap<>();
        folds.stream().filter(f -> f.finished() && f.confusion() != null).forEach(f -> byFold.put(f.index(), f.confusion()));
        return byFold;
    }

    private static Run find(long id) {
        Run run = Run.findById(id);
        if (run == null) {
            throw ApiException.notFound("run", id);
        }
        return run;
    }
}
