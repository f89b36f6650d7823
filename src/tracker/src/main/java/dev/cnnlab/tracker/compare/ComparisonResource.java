package dev.cnnlab.tracker.compare;

import dev.cnnlab.tracker.api.ApiException;
import dev.cnnlab.tracker.experiment.Experiment;
import dev.cnnlab.tracker.run.Fold;
import dev.cnnlab.tracker.run.Run;
import dev.cnnlab.tracker.run.RunResource;
import dev.cnnlab.tracker.run.RunStatus;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * {@code GET /api/experiments/{id}/comparison?baseline=RUN}: every run of an experiment against a
 * baseline run (default: the best mean fold accuracy), paired over the folds both finished.
 */
@Path("/api/experiments/{id}/comparison")
@Produces(MediaType.APPLICATION_JSON)
public class ComparisonResource {

    /** One run as the comparison names it. */
    public record RunRef(long runId, String label, Double meanAccuracy, int finishedFolds) {
    }

    /** A run against the baseline; the statistics are null below 2 shared folds. */
    public record Row(RunRef run, int sharedFolds, boolean sameSplits, PairedComparison stats,
            Boolean distinguishable, String verdict) {
    }

    /** The answer: the baseline and one row per other run. */
    public record Comparison(long experimentId, String metric, RunRef baseline, List<Row> rows) {
    }

    @GET
    public Comparison compare(@PathParam("id") long experimentId, @QueryParam("baseline") Long baselineId) {
        if (Experiment.findById(experimentId) == null) {
            throw ApiException.notFound("experiment", experimentId);
        }
        List<Run> runs = Run.list("experimentId = ?1 order by id", experimentId);
        Map<Long, Map<Integer, Double>> accuracies = foldAccuracies(runs);
        Map<Long, String> labels = labels(runs);
        Run baseline = baselineId != null
                ? runs.stream().filter(r -> r.id.equals(baselineId)).findFirst().orElseThrow(() ->
                        ApiException.badRequest("baseline " + baselineId + " is not a run of experiment "
                                + experimentId + "; its runs are " + runs.stream().map(r -> r.id).toList()))
                : runs.stream().filter(r -> !accuracies.get(r.id).isEmpty())
                        .max(Comparator.comparingDouble(r -> mean(accuracies.get(r.id))))
                        .orElseThrow(() -> ApiException.badRequest("experiment " + experimentId
                                + " has no finished fold yet: nothing to compare"));
        Map<Integer, Double> base = accuracies.get(baseline.id);
        List<Row> rows = new ArrayList<>();
        for (Run r : runs) {
            if (r.id.equals(baseline.id)) {
                continue;
            }
            Map<Integer, Double> cand = accuracies.get(r.id);
            List<Integer> shared = cand.keySet().stream().filter(base::containsKey).sorted().toList();
            boolean sameSplits = r.seed == baseline.seed && r.folds == baseline.folds;
            RunRef ref = ref(r, labels, cand);
            if (shared.size() < 2 || !sameSplits) {
                String why = !sameSplits
                        ? "not comparable fold by fold: seed " + r.seed + " and " + r.folds + " folds against the baseline's seed "
                                + baseline.seed + " and " + baseline.folds + " folds split the data differently"
                        : "not enough shared folds yet (" + shared.size() + "; 2 or more are needed)";
                rows.add(new Row(ref, shared.size(), sameSplits, null, null, why));
                continue;
            }
            double[] b = shared.stream().mapToDouble(base::get).toArray();
            double[] c = shared.stream().mapToDouble(cand::get).toArray();
            PairedComparison stats = PairedComparison.of(b, c);
            rows.add(new Row(ref, shared.size(), true, stats, stats.distinguishable(),
                    stats.verdict(labels.get(r.id), labels.get(baseline.id))));
        }
        return new Comparison(experimentId, "fold accuracy", ref(baseline, labels, base), rows);
    }

    /** Each run's finished folds, fold index to accuracy (empty for a run with none), in one query. */
    private static Map<Long, Map<Integer, Double>> foldAccuracies(List<Run> runs) {
        Map<Long, Map<Integer, Double>> byRun = new TreeMap<>();
        runs.forEach(r -> byRun.put(r.id, new TreeMap<>()));
        if (!runs.isEmpty()) {
            List<Fold> folds = Fold.list("runId in ?1 and status = ?2 and accuracy is not null",
                    runs.stream().map(r -> r.id).toList(), RunStatus.SUCCEEDED);
            folds.forEach(f -> byRun.get(f.runId).put(f.foldIndex, f.accuracy));
        }
        return byRun;
    }

    private static RunRef ref(Run r, Map<Long, String> labels, Map<Integer, Double> acc) {
        return new RunRef(r.id, labels.get(r.id), acc.isEmpty() ? null : mean(acc), acc.size());
    }

    private static double mean(Map<Integer, Double> values) {
        return values.values().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** Names each run by the hyperparameters that differ between the experiment's runs. */
    static Map<Long, String> labels(List<Run> runs) {
        List<Map<String, Object>> hps = runs.stream().map(r -> r.hyperparameters).toList();
        TreeSet<String> varying = new TreeSet<>();
        hps.forEach(hp -> varying.addAll(hp.keySet()));
        varying.removeIf(key -> !RunResource.differs(hps, key));
        Map<Long, String> labels = new TreeMap<>();
        for (Run r : runs) {
            String label = varying.stream().map(k -> k + " " + r.hyperparameters.get(k))
                    .collect(Collectors.joining(", "));
            labels.put(r.id, label.isEmpty() ? "run " + r.id : label);
        }
        return labels;
    }
}
