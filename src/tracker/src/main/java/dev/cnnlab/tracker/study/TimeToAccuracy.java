package dev.cnnlab.tracker.study;

import dev.cnnlab.tracker.run.EpochMetric;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Validation accuracy of a run against what it cost: after each epoch, the wall time spent training
 * (the sum of the epochs' recorded seconds) and the training images seen (the fold's training-set
 * size times the epoch), both per fold and averaged over the folds that reached that epoch.
 */
public final class TimeToAccuracy {
    private TimeToAccuracy() {
    }

    /**
     * One epoch of a run.
     *
     * @param folds how many folds reached this epoch (the means are over them)
     * @param accuracy mean validation accuracy of those folds after this epoch
     * @param seconds mean wall seconds those folds had trained up to the end of this epoch
     * @param imagesSeen mean training images those folds had seen (null when a fold's size is unknown)
     */
    public record Point(int epoch, int folds, Double accuracy, Double seconds, Double imagesSeen) {
    }

    /** The run's points, one per epoch any fold recorded, in epoch order. */
    public static List<Point> of(List<FoldRecord> folds) {
        Map<Integer, List<double[]>> byEpoch = new TreeMap<>(); // epoch -> [accuracy, seconds, images] per fold
        for (FoldRecord f : folds) {
            double seconds = 0;
            for (EpochMetric e : f.epochs()) {
                seconds += e.seconds == null ? 0 : e.seconds;
                double images = f.trainSize() == null ? Double.NaN : (double) f.trainSize() * e.epoch;
                double accuracy = e.valAccuracy == null ? Double.NaN : e.valAccuracy;
                byEpoch.computeIfAbsent(e.epoch, k -> new ArrayList<>()).add(new double[] {accuracy, seconds, images});
            }
        }
        List<Point> points = new ArrayList<>();
        byEpoch.forEach((epoch, rows) -> points.add(new Point(epoch, rows.size(), mean(rows, 0), mean(rows, 1),
                mean(rows, 2))));
        return points;
    }

    /** Mean of one column; null if any fold lacks it (a mean of some folds would jump between epochs). */
    private static Double mean(List<double[]> rows, int column) {
        double sum = 0;
        for (double[] r : rows) {
            if (Double.isNaN(r[column])) {
                return null;
            }
            sum += r[column];
        }
        return sum / rows.size();
    }
}
