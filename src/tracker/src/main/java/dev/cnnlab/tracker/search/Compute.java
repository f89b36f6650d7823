package dev.cnnlab.tracker.search;

import java.util.List;

/**
 * The compute an experiment spent against a full grid: every run training every fold to its last
 * epoch. Spent is the sum of the fold-epochs' training seconds as recorded ({@code epoch_metrics});
 * the full grid is estimated per run as epochs x folds x that run's measured seconds per fold-epoch
 * (the experiment's mean for a run that trained none). Hours are worker hours: one worker's wall time
 * of training on its device.
 *
 * @param device "CPU" or "GPU": what the hours are of
 * @param foldEpochsTrained fold-epochs recorded
 * @param foldEpochsFullGrid runs x folds x epochs
 * @param hoursSpent training hours recorded
 * @param hoursFullGrid the estimate for the full grid
 * @param savedFraction 1 - spent / full grid (0 when nothing was measured)
 */
public record Compute(String device, long foldEpochsTrained, long foldEpochsFullGrid, double hoursSpent,
                      double hoursFullGrid, double savedFraction) {

    /**
     * A run's share.
     *
     * @param epochs its epochs
     * @param folds its folds (repeats x folds)
     * @param foldEpochsTrained fold-epochs it recorded
     * @param seconds their training seconds
     */
    public record RunSpend(int epochs, int folds, long foldEpochsTrained, double seconds) {
    }

    /** Sums the runs' spend up against the full grid. */
    public static Compute of(String device, List<RunSpend> runs) {
        long trained = runs.stream().mapToLong(RunSpend::foldEpochsTrained).sum();
        double seconds = runs.stream().mapToDouble(RunSpend::seconds).sum();
        double meanPerEpoch = trained == 0 ? 0 : seconds / trained;
        long fullEpochs = 0;
        double fullSeconds = 0;
        for (RunSpend r : runs) {
            long planned = (long) r.epochs() * r.folds();
            fullEpochs += planned;
            fullSeconds += planned * (r.foldEpochsTrained() == 0 ? meanPerEpoch : r.seconds() / r.foldEpochsTrained());
        }
        double saved = fullSeconds > 0 ? 1 - seconds / fullSeconds : 0;
        return new Compute(device, trained, fullEpochs, seconds / 3600, fullSeconds / 3600, saved);
    }
}
