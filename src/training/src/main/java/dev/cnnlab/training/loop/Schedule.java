package dev.cnnlab.training.loop;

/** How the learning rate changes over a run (see {@link LearningRateSchedule}). */
public enum Schedule {
    /** The base learning rate throughout. */
    CONSTANT,
    /** The base rate, divided by 10 at 50% and again at 75% of the epochs. */
    STEP,
    /** Cosine annealing from the base rate to 0 over all iterations. */
    COSINE,
    /** One-cycle: linear warm-up from base/25 to base over the first 30%, then cosine down to base/1e4. */
    ONECYCLE,
    /** airbench's triangle: linear from base/5 to the base at 23% of the iterations, then linear to 0.07 base. */
    TRIANGLE
}
