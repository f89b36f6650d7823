package dev.cnnlab.training.loop;

import java.util.Arrays;
import java.util.List;

/**
 * Classification quality on one image set.
 *
 * @param count        images evaluated
 * @param accuracy     top-1 accuracy
 * @param top5Accuracy top-5 accuracy (1 when there are 5 classes or fewer)
 * @param loss         mean cross-entropy
 * @param labels       class names, indexing the arrays below
 * @param confusion    {@code confusion[actual][predicted]} counts
 * @param precision    per-class precision (0 for a never-predicted class)
 * @param recall       per-class recall (0 for an absent class)
 * @param f1           per-class F1
 */
public record EvaluationResult(int count, double accuracy, double top5Accuracy, double loss, List<String> labels,
                               int[][] confusion, double[] precision, double[] recall, double[] f1) {
    /**
     * Derives the per-class metrics from a confusion matrix.
     *
     * @param labels      class names
     * @param confusion   {@code [actual][predicted]} counts
     * @param top5Correct how many images had the true class among the 5 highest scores
     * @param lossSum     the summed cross-entropy
     * @return the evaluation
     */
    public static EvaluationResult of(List<String> labels, int[][] confusion, long top5Correct, double lossSum) {
        int k = labels.size();
        if (confusion.length != k) {
            throw new IllegalArgumentException("confusion matrix has " + confusion.length + " rows for " + k + " labels");
        }
        long total = 0;
        long correct = 0;
        long[] predicted = new long[k];
        long[] actual = new long[k];
        for (int a = 0; a < k; a++) {
            for (int p = 0; p < k; p++) {
                total += confusion[a][p];
                predicted[p] += confusion[a][p];
                actual[a] += confusion[a][p];
            }
            correct += confusion[a][a];
        }
        double[] precision = new double[k];
        double[] recall = new double[k];
        double[] f1 = new double[k];
        for (int c = 0; c < k; c++) {
            precision[c] = predicted[c] == 0 ? 0 : (double) confusion[c][c] / predicted[c];
            recall[c] = actual[c] == 0 ? 0 : (double) confusion[c][c] / actual[c];
            double s = precision[c] + recall[c];
            f1[c] = s == 0 ? 0 : 2 * precision[c] * recall[c] / s;
        }
        double n = Math.max(total, 1);
        return new EvaluationResult((int) total, correct / n, top5Correct / n, lossSum / n, List.copyOf(labels),
                confusion, precision, recall, f1);
    }

    /** Returns the unweighted mean F1 over classes. */
    public double macroF1() {
        return Arrays.stream(f1).average().orElse(0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EvaluationResult e && count == e.count && accuracy == e.accuracy
                && Double.compare(loss, e.loss) == 0 && Arrays.deepEquals(confusion, e.confusion)
                && labels.equals(e.labels);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(confusion) * 31 + Double.hashCode(loss);
    }

    @Override
    public String toString() {
        return String.format("EvaluationResult[n=%d, accuracy=%.4f, top5=%.4f, loss=%.4f]", count, accuracy,
                top5Accuracy, loss);
    }
}
