package dev.cnnlab.training.loop;

/**
 * Receives progress from {@link CnnTrainer}. All methods have no-op defaults; they are called on the
 * training thread, so keep them quick.
 */
public interface TrainingListener {
    /** A listener that ignores everything. */
    TrainingListener NONE = new TrainingListener() {
    };

    /**
     * Called after every training batch.
     *
     * @param epoch        the epoch, 1-based
     * @param batch        the batch within the epoch, 1-based
     * @param batches      batches per epoch
     * @param loss         this batch's loss
     * @param imagesPerSec throughput so far in this epoch
     */
    default void onBatch(int epoch, int batch, int batches, double loss, double imagesPerSec) {
    }

    /**
     * Called after every epoch (not for epochs restored from a checkpoint).
     *
     * @param fold    the fold, 0-based ({@code -1} for the final model)
     * @param metrics the epoch's metrics
     */
    default void onEpoch(int fold, EpochMetrics metrics) {
    }

    /**
     * Batches between validation evaluations inside an epoch, asked for on demand (time-to-accuracy curves
     * finer than an epoch); 0, the default, evaluates after each epoch only. Evaluation time is not counted
     * as training time, and the training itself is unchanged.
     */
    default int evaluateEveryBatches() {
        return 0;
    }

    /**
     * Called after each evaluation inside an epoch that {@link #evaluateEveryBatches()} asked for.
     *
     * @param fold  the fold, 0-based ({@code -1} for the final model)
     * @param point when it was taken and the validation accuracy then
     */
    default void onEvaluation(int fold, EvaluationPoint point) {
    }

    /** Checked before every batch: when true, the fold stops with a {@link java.util.concurrent.CancellationException}. */
    default boolean isCancelled() {
        return false;
    }
}
