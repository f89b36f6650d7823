package dev.cnnlab.training.loop;

/**
 * What one epoch measured.
 *
 * @param epoch         the epoch, 1-based
 * @param trainLoss     mean mini-batch loss during the epoch (with dropout/augmentation active)
 * @param trainAccuracy accuracy on a fixed sample of up to 1,024 training images, in inference mode
 * @param valLoss       validation cross-entropy (NaN without a validation set)
 * @param valAccuracy   validation accuracy (NaN without a validation set)
 * @param learningRate  learning rate at the start of the epoch
 * @param seconds       wall time of the epoch's training part
 * @param imagesPerSec  training throughput of the epoch
 */
public record EpochMetrics(int epoch, double trainLoss, double trainAccuracy, double valLoss,
                           double valAccuracy, double learningRate, double seconds, double imagesPerSec) {
}
