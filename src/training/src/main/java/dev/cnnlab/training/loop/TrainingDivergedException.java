package dev.cnnlab.training.loop;

/** Thrown when the training loss becomes NaN or infinite; names the epoch and batch. */
public class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int epoch;
    private final int batch;

    /**
     * Creates the exception.
     *
     * @param epoch the epoch, 1-based
     * @param batch the batch, 1-based
     * @param loss  the non-finite loss
     */
    public TrainingDivergedException(int epoch, int batch, double loss) {
        super("training diverged: loss " + loss + " at epoch " + epoch + ", batch " + batch);
        this.epoch = epoch;
        this.batch = batch;
    }

    /** Returns the epoch (1-based) where the loss became non-finite. */
    public int epoch() {
        return epoch;
    }

    /** Returns the batch (1-based) where the loss became non-finite. */
    public int batch() {
        return batch;
    }
}
