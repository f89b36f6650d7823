package dev.cnnlab.training.loop;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * airbench's lookahead: every {@link #EVERY} steps the average moves toward the weights,
 * {@code average = d average + (1 - d) weights}, and the weights are set to it; the decay grows as
 * {@code d = 0.95^5 (step / total)^3}, so it does nothing early and smooths more toward the end, and
 * after the last step the weights become the average. DL4J keeps the batch-norm running statistics
 * among the parameters, so they are averaged too, as in airbench (its state dict holds them).
 */
final class Lookahead {
    /** Steps between updates. */
    static final int EVERY = 5;
    /** The checkpoint file holding the average. */
    static final String FILE = "lookahead";

    private final INDArray average;

    /** Starts the average at {@code params} (a copy is kept). */
    Lookahead(INDArray params) {
        this.average = params.dup();
    }

    /** The average (for checkpoints). */
    INDArray average() {
        return average;
    }

    /** airbench's decay at a 1-based step of {@code total}. */
    static double decay(long step, long total) {
        return Math.pow(0.95, EVERY) * Math.pow((double) step / total, 3);
    }

    /**
     * Called after every optimizer step.
     *
     * @param params the network's flat parameter view (modified in place)
     * @param step   steps done, 1-based
     * @param total  steps in the run
     */
    void afterStep(INDArray params, long step, long total) {
        if (step % EVERY == 0) {
            update(params, decay(step, total));
        }
        if (step == total) {
            update(params, 1);
        }
    }

    private void update(INDArray params, double decay) {
        average.muli(decay).addi(params.mul(1 - decay));
        params.assign(average);
    }
}
