package dev.cnnlab.tracker.study;

import java.util.Map;

/**
 * A run as the study views use it: its stored hyperparameters and its finished folds' scores under
 * one {@link SummaryMetric} (fold index to score, fold order).
 */
public record RunScores(long runId, Map<String, Object> hyperparameters, Map<Integer, Double> scores) {

    public Double mean() {
        return scores.isEmpty() ? null : scores.values().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    /** Sample standard deviation over folds; 0 for one fold, null for none. */
    public Double std() {
        return Stats.std(scores.values());
    }
}
