package dev.cnnlab.training.loop;

/**
 * What a run's {@code learningRate} and {@code weightDecay} are measured in.
 *
 * <p>{@link #PER_1024} is airbench's decoupled form (after Myrtle.ai's "How to train your ResNet"):
 * the learning rate is per 1,024 examples and divided by Nesterov's step amplification
 * {@code 1 + 1 / (1 - momentum)}, and the weight decay is per 1,024 examples and independent of the
 * learning rate, so batch size, momentum, learning rate and weight decay can each be changed alone.
 */
public enum LearningRateUnit {
    /** DL4J's own: the step size of the batch-mean gradient, and decay = weightDecay x learning rate per step. */
    BATCH,
    /** airbench's: learning rate and weight decay per 1,024 examples, decoupled from momentum and each other. */
    PER_1024;

    /**
     * The DL4J learning rate (for the batch-mean loss) this unit's {@code learningRate} means.
     *
     * @param learningRate the configured learning rate
     * @param batchSize    images per batch
     * @param momentum     Nesterov momentum
     */
    public double stepLearningRate(double learningRate, int batchSize, double momentum) {
        if (this == BATCH) {
            return learningRate;
        }
        // airbench sums the loss over the batch: lr / kilostep per example is lr * batch / kilostep per mean
        return learningRate * batchSize / (1024 * (1 + 1 / (1 - momentum)));
    }

    /**
     * The coefficient of DL4J's {@code WeightDecay(coefficient, applyLR = true)} this unit's
     * {@code weightDecay} means. DL4J subtracts {@code coefficient x lr(t) x w} after the momentum step;
     * PyTorch's SGD, which airbench uses, sends the decay through the momentum buffer, which multiplies
     * it by {@code 1 / (1 - momentum)} in steady state, so that factor is applied here.
     */
    public double weightDecayCoefficient(double weightDecay, double learningRate, double momentum) {
        if (this == BATCH) {
            return weightDecay;
        }
        return weightDecay / (learningRate * (1 - momentum));
    }
}
