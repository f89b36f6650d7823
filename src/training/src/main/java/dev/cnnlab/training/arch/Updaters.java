package dev.cnnlab.training.arch;

import org.nd4j.linalg.learning.config.IUpdater;

/**
 * The optimizer of each group of parameters a network has: most layers share one, batch
 * normalization may learn at its own rate (airbench: 64x), and a bias may learn only for the first
 * epochs (airbench's whitening bias).
 */
public interface Updaters {
    /** The updater of the weights and biases of every layer not covered below. */
    IUpdater weights();

    /** The updater of the batch-normalization scale and shift. */
    IUpdater batchNorm();

    /** An updater like {@link #weights()} that stops after the first {@code epochs} epochs. */
    IUpdater until(int epochs);

    /**
     * One updater for every parameter, for networks built to be measured or exported rather than
     * trained by a run: {@link #until} ignores its limit, so such a bias learns in every epoch.
     */
    static Updaters of(IUpdater updater) {
        return new Updaters() {
            @Override
            public IUpdater weights() {
                return updater;
            }

            @Override
            public IUpdater batchNorm() {
                return updater;
            }

            @Override
            public IUpdater until(int epochs) {
                return updater;
            }
        };
    }
}
