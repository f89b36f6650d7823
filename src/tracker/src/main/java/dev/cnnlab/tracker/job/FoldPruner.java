package dev.cnnlab.tracker.job;

import dev.cnnlab.tracker.compare.Pruning;
import dev.cnnlab.tracker.experiment.Experiment;
import dev.cnnlab.tracker.run.Fold;
import dev.cnnlab.tracker.run.Run;
import dev.cnnlab.tracker.run.RunStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Whether a run has lost ({@link Pruning}): its succeeded folds against those of the experiment's best
 * SUCCEEDED run with the same splits (highest mean fold accuracy), paired by fold index, which with
 * repeats is the pair (repeat, fold). It only reads; {@link Lifecycle}
 * asks it while holding the run's row lock and makes the transition. Not a bean: Lifecycle injects none.
 */
final class FoldPruner {
    private FoldPruner() {
    }

    /** Why {@code run} should be pruned now, or empty; {@code folds} are all of its folds. */
    static Optional<String> reason(Run run, List<Fold> folds) {
        Experiment experiment = Experiment.findById(run.experimentId);
        Optional<Pruning> pruning = Pruning.fromSpec(experiment.spec);
        if (pruning.isEmpty()) {
            return Optional.empty();
        }
        // a SUCCEEDED run's folds are final (only FAILED and CANCELLED runs are retried), so the reference
        // cannot change under this decision; a run is never compared with itself or with a pruned run
        // and only runs split like this one (same seed and k: fold i is the same split) pair fold by fold
        Run best = Run.<Run>find("experimentId = ?1 and status = ?2 and id <> ?3 and seed = ?4 and folds = ?5"
                + " and meanAccuracy is not null order by meanAccuracy desc, id", run.experimentId, RunStatus.SUCCEEDED,
                run.id, run.seed, run.folds).firstResult();
        if (best == null) {
            return Optional.empty();
        }
        Map<Integer, Double> mine = accuracies(folds);
        Map<Integer, Double> theirs = accuracies(Fold.list("runId", best.id));
        return pruning.get().decide(theirs, mine).map(detail -> "pruned after " + mine.size() + " of " + folds.size()
                + " folds: worse than run " + best.id + " " + detail);
    }

    private static Map<Integer, Double> accuracies(List<Fold> folds) {
        return folds.stream().filter(f -> f.status == RunStatus.SUCCEEDED && f.accuracy != null)
                .collect(Collectors.toMap(f -> f.foldIndex, f -> f.accuracy));
    }
}
