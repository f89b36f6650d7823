package dev.cnnlab.training.loop;

import dev.cnnlab.training.data.Normalization;
import java.util.List;

/**
 * The outcome of training one fold.
 *
 * @param fold          the fold, 0-based ({@code -1} for the final model)
 * @param trainSize     training images
 * @param valSize       validation images (0 when there was none)
 * @param bestEpoch     1-based epoch with the highest validation accuracy (the last epoch without validation)
 * @param accuracy      validation accuracy at {@code bestEpoch} (NaN without validation)
 * @param loss          validation loss at {@code bestEpoch} (NaN without validation)
 * @param evaluation    the full validation evaluation at {@code bestEpoch}, or null without validation
 * @param epochs        metrics of every epoch trained, including epochs restored from a checkpoint
 * @param stoppedEarly  whether early stopping ended the fold before the configured epochs
 * @param seconds       training wall time over all epochs (also across resumes)
 * @param imagesPerSec  mean training throughput
 * @param normalization the per-channel mean/std computed on this fold's training images
 */
public record FoldResult(int fold, int trainSize, int valSize, int bestEpoch, double accuracy, double loss,
                         EvaluationResult evaluation, List<EpochMetrics> epochs, boolean stoppedEarly,
                         double seconds, double imagesPerSec, Normalization normalization) {
    /** Copies the epoch list. */
    public FoldResult {
        epochs = List.copyOf(epochs);
    }
}
