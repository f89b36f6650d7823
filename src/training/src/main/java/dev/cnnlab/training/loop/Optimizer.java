package dev.cnnlab.training.loop;

/** The optimizer of a training run. */
public enum Optimizer {
    /** Adam (Kingma and Ba 2015), default betas. */
    ADAM,
    /** Stochastic gradient descent with Nesterov momentum ({@code momentum}, 0.9 by default). */
    SGD
}
