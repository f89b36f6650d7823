package dev.cnnlab.training.loop;

/**
 * The validation accuracy at one moment of training: after {@code batch} of {@code batches} batches of
 * {@code epoch}, when the fold had trained {@code seconds} of wall time (evaluations not counted) on
 * {@code images} images. Asked for by {@link TrainingListener#evaluateEveryBatches()}.
 *
 * @param epoch    the epoch, 1-based
 * @param batch    batches done in this epoch
 * @param batches  batches per epoch
 * @param seconds  training wall time of the fold so far, network set-up included
 * @param images   training images seen so far
 * @param accuracy validation accuracy, a fraction
 * @param loss     validation cross-entropy
 */
public record EvaluationPoint(int epoch, int batch, int batches, double seconds, long images, double accuracy,
                              double loss) {
    /** Epochs done as a fraction, e.g. 2.5 halfway through the third epoch. */
    public double epochs() {
        return epoch - 1 + (double) batch / batches;
    }
}
