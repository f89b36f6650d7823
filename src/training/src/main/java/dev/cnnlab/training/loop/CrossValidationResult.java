package dev.cnnlab.training.loop;

import java.util.List;

/**
 * The outcome of k-fold cross-validation.
 *
 * @param folds        one result per fold, in fold order
 * @param meanAccuracy mean of the folds' best validation accuracies
 * @param stdAccuracy  sample standard deviation of those accuracies (0 for one fold)
 */
public record CrossValidationResult(List<FoldResult> folds, double meanAccuracy, double stdAccuracy) {
    /** Copies the fold list. */
    public CrossValidationResult {
        folds = List.copyOf(folds);
    }

    /** Summarizes fold results: mean and sample standard deviation of their accuracies. */
    public static CrossValidationResult of(List<FoldResult> folds) {
        if (folds.isEmpty()) {
            throw new IllegalArgumentException("no folds to summarize");
        }
        double mean = folds.stream().mapToDouble(FoldResult::accuracy).average().orElse(Double.NaN);
        double ss = folds.stream().mapToDouble(f -> (f.accuracy() - mean) * (f.accuracy() - mean)).sum();
        double std = folds.size() > 1 ? Math.sqrt(ss / (folds.size() - 1)) : 0;
        return new CrossValidationResult(folds, mean, std);
    }
}
