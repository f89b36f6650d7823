package dev.cnnlab.tracker.study;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How a run's confusion matrix changed against a baseline's, fold by fold on the folds both
 * finished. Each fold's matrix is normalised per actual class (rows sum to 1), so folds of
 * different sizes weigh the same; a class's change on a fold is its recall there minus the
 * baseline's recall on the same fold, and the spread is over those per-fold changes.
 */
public final class ConfusionDiff {
    private ConfusionDiff() {
    }

    /**
     * One class.
     *
     * @param baseRecall mean over the shared folds of the baseline's recall
     * @param otherRecall the same for the other run
     * @param change mean per-fold change of recall (other - baseline)
     * @param std sample standard deviation of the per-fold changes (0 for one fold)
     * @param foldChanges the change on each shared fold, in fold order
     */
    public record ClassChange(String label, double baseRecall, double otherRecall, double change, double std,
                              double min, double max, List<Double> foldChanges) {
    }

    /**
     * The difference.
     *
     * @param folds the shared fold indices the means are over
     * @param classes one entry per class, in label order
     * @param matrix [actual][predicted]: mean over the shared folds of the other run's rate minus the baseline's
     */
    public record Result(List<String> labels, List<Integer> folds, List<ClassChange> classes, double[][] matrix) {
    }

    /**
     * @param base fold index to confusion[actual][predicted] counts of the baseline
     * @param other the same for the other run
     * @throws IllegalArgumentException when no fold is shared or a matrix does not match the labels
     */
    public static Result of(List<String> labels, Map<Integer, List<List<Integer>>> base,
                            Map<Integer, List<List<Integer>>> other) {
        List<Integer> shared = base.keySet().stream().filter(other::containsKey).sorted().toList();
        if (shared.isEmpty()) {
            throw new IllegalArgumentException("the two runs share no finished fold with a confusion matrix (baseline: "
                    + base.keySet().stream().sorted().toList() + ", other: " + other.keySet().stream().sorted().toList() + ")");
        }
        int n = labels.size();
        double[][] matrix = new double[n][n];
        List<List<Double>> changes = new ArrayList<>();
        double[] baseRecall = new double[n];
        double[] otherRecall = new double[n];
        for (int c = 0; c < n; c++) {
            changes.add(new ArrayList<>());
        }
        for (int k : shared) {
            double[][] b = rates(labels, base.get(k), k);
            double[][] o = rates(labels, other.get(k), k);
            for (int a = 0; a < n; a++) {
                for (int p = 0; p < n; p++) {
                    matrix[a][p] += (o[a][p] - b[a][p]) / shared.size();
                }
                baseRecall[a] += b[a][a] / shared.size();
                otherRecall[a] += o[a][a] / shared.size();
                changes.get(a).add(o[a][a] - b[a][a]);
            }
        }
        List<ClassChange> classes = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            List<Double> d = changes.get(c);
            classes.add(new ClassChange(labels.get(c), baseRecall[c], otherRecall[c], Stats.mean(d), Stats.std(d),
                    d.stream().mapToDouble(Double::doubleValue).min().orElseThrow(),
                    d.stream().mapToDouble(Double::doubleValue).max().orElseThrow(), List.copyOf(d)));
        }
        return new Result(labels, shared, classes, matrix);
    }

    /** counts[actual][predicted] divided by each actual class's total (a class with no images: all 0). */
    static double[][] rates(List<String> labels, List<List<Integer>> counts, int fold) {
        int n = labels.size();
        if (counts.size() != n || counts.stream().anyMatch(row -> row.size() != n)) {
            throw new IllegalArgumentException("fold " + fold + "'s confusion matrix is not " + n + " x " + n
                    + " as the labels " + labels + " need");
        }
        double[][] rates = new double[n][n];
        for (int a = 0; a < n; a++) {
            double total = counts.get(a).stream().mapToInt(Integer::intValue).sum();
            for (int p = 0; p < n; p++) {
                rates[a][p] = total == 0 ? 0 : counts.get(a).get(p) / total;
            }
        }
        return rates;
    }
}
