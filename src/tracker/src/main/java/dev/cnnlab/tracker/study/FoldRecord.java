package dev.cnnlab.tracker.study;

import dev.cnnlab.tracker.run.EpochMetric;
import dev.cnnlab.tracker.run.Fold;
import dev.cnnlab.tracker.run.RunStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One fold as the study views read it: its recorded result and its epochs in order.
 *
 * @param epochs every recorded epoch, epoch order
 */
public record FoldRecord(long runId, int index, RunStatus status, Integer trainSize, Double accuracy,
                         List<List<Integer>> confusion, List<EpochMetric> epochs) {

    public boolean finished() {
        return status == RunStatus.SUCCEEDED;
    }

    /** The fold's summary under this metric; null unless the fold finished. */
    public Double score(SummaryMetric metric) {
        return finished() ? metric.of(accuracy, epochs.stream().map(e -> e.valAccuracy).toList()) : null;
    }

    /** Every fold of these runs with its epochs, in two queries; run id to folds in fold order. */
    public static Map<Long, List<FoldRecord>> load(List<Long> runIds) {
        Map<Long, List<FoldRecord>> byRun = new LinkedHashMap<>();
        runIds.forEach(id -> byRun.put(id, new ArrayList<>()));
        if (runIds.isEmpty()) {
            return byRun;
        }
        List<Fold> folds = Fold.list("runId in ?1 order by runId, foldIndex", runIds);
        Map<Long, List<EpochMetric>> epochs = new HashMap<>();
        if (!folds.isEmpty()) {
            List<EpochMetric> rows = EpochMetric.list("foldId in ?1 order by foldId, epoch",
                    folds.stream().map(f -> f.id).toList());
            rows.forEach(m -> epochs.computeIfAbsent(m.foldId, k -> new ArrayList<>()).add(m));
        }
        for (Fold f : folds) {
            byRun.get(f.runId).add(new FoldRecord(f.runId, f.foldIndex, f.status, f.trainSize, f.accuracy,
                    f.confusion, epochs.getOrDefault(f.id, List.of())));
        }
        return byRun;
    }

    /** Each run's finished folds under the metric: run id to (fold index to score), fold order. */
    public static Map<Long, Map<Integer, Double>> scores(Map<Long, List<FoldRecord>> folds, SummaryMetric metric) {
        Map<Long, Map<Integer, Double>> scores = new LinkedHashMap<>();
        folds.forEach((runId, list) -> {
            Map<Integer, Double> byFold = new LinkedHashMap<>();
            for (FoldRecord f : list) {
                Double s = f.score(metric);
                if (s != null) {
                    byFold.put(f.index(), s);
                }
            }
            scores.put(runId, byFold);
        });
        return scores;
    }
}
