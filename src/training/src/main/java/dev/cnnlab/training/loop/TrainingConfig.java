package dev.cnnlab.training.loop;

import dev.cnnlab.training.data.Augmentation;

/**
 * Every hyperparameter of a training run, validated on construction (bad values throw
 * {@link IllegalArgumentException} naming the value). Use {@link #builder(String)} for defaults.
 *
 * @param architecture    the architecture name (see {@code Architectures})
 * @param batchSize       images per batch, 1..4096 (default 64)
 * @param epochs          epochs per fold, 1..10000 (default 10)
 * @param optimizer       ADAM or SGD (Nesterov, momentum 0.9) (default ADAM)
 * @param learningRate    base learning rate, in (0, 10] (default 1e-3)
 * @param schedule        learning-rate schedule (default CONSTANT)
 * @param weightDecay     weight decay coefficient, in [0, 1) (default 0)
 * @param augmentation    training augmentation (default NONE)
 * @param seed            run seed; fold, shuffle, augmentation and init seeds derive from it (default 42)
 * @param folds           k of k-fold cross-validation, 1..100; 1 = a single stratified 80/20 split (default 1)
 * @param patience        early-stopping patience in epochs without validation-accuracy gain, 0 = off (default 0)
 * @param heldOutFraction share of the data held out from all folds for a final test, in [0, 1) (default 0)
 * @param subset          use a stratified, seeded subset of this many images, 0 = all (default 0)
 */
public record TrainingConfig(String architecture, int batchSize, int epochs, Optimizer optimizer,
                             double learningRate, Schedule schedule, double weightDecay,
                             Augmentation augmentation, long seed, int folds, int patience,
                             double heldOutFraction, int subset) {
    /** Validates every value. */
    public TrainingConfig {
        if (architecture == null || architecture.isBlank()) {
            throw new IllegalArgumentException("architecture must be named, got '" + architecture + "'");
        }
        check(batchSize >= 1 && batchSize <= 4096, "batchSize", batchSize, "1..4096");
        check(epochs >= 1 && epochs <= 10_000, "epochs", epochs, "1..10000");
        if (optimizer == null || schedule == null || augmentation == null) {
            throw new IllegalArgumentException("optimizer, schedule and augmentation are required, got "
                    + optimizer + ", " + schedule + ", " + augmentation);
        }
        check(learningRate > 0 && learningRate <= 10, "learningRate", learningRate, "(0, 10]");
        check(weightDecay >= 0 && weightDecay < 1, "weightDecay", weightDecay, "[0, 1)");
        check(folds >= 1 && folds <= 100, "folds", folds, "1..100");
        check(patience >= 0, "patience", patience, ">= 0");
        check(heldOutFraction >= 0 && heldOutFraction < 1, "heldOutFraction", heldOutFraction, "[0, 1)");
        check(subset >= 0, "subset", subset, ">= 0 (0 = all)");
    }

    private static void check(boolean ok, String field, Object value, String range) {
        if (!ok) {
            throw new IllegalArgumentException(field + " must be " + range + ", got " + value);
        }
    }

    /** Returns a builder with the default values and the given architecture. */
    public static Builder builder(String architecture) {
        return new Builder(architecture);
    }

    /** Returns a builder initialized with this config's values. */
    public Builder toBuilder() {
        Builder b = new Builder(architecture);
        b.batchSize = batchSize;
        b.epochs = epochs;
        b.optimizer = optimizer;
        b.learningRate = learningRate;
        b.schedule = schedule;
        b.weightDecay = weightDecay;
        b.augmentation = augmentation;
        b.seed = seed;
        b.folds = folds;
        b.patience = patience;
        b.heldOutFraction = heldOutFraction;
        b.subset = subset;
        return b;
    }

    /** Builds a {@link TrainingConfig}, starting from the defaults. */
    public static final class Builder {
        private String architecture;
        private int batchSize = 64;
        private int epochs = 10;
        private Optimizer optimizer = Optimizer.ADAM;
        private double learningRate = 1e-3;
        private Schedule schedule = Schedule.CONSTANT;
        private double weightDecay;
        private Augmentation augmentation = Augmentation.NONE;
        private long seed = 42;
        private int folds = 1;
        private int patience;
        private double heldOutFraction;
        private int subset;

        private Builder(String architecture) {
            this.architecture = architecture;
        }

        /** Sets the architecture name. */
        public Builder setArchitecture(String v) {
            architecture = v;
            return this;
        }

        /** Sets the batch size. */
        public Builder optBatchSize(int v) {
            batchSize = v;
            return this;
        }

        /** Sets the number of epochs. */
        public Builder optEpochs(int v) {
            epochs = v;
            return this;
        }

        /** Sets the optimizer. */
        public Builder optOptimizer(Optimizer v) {
            optimizer = v;
            return this;
        }

        /** Sets the base learning rate. */
        public Builder optLearningRate(double v) {
            learningRate = v;
            return this;
        }

        /** Sets the learning-rate schedule. */
        public Builder optSchedule(Schedule v) {
            schedule = v;
            return this;
        }

        /** Sets the weight decay. */
        public Builder optWeightDecay(double v) {
            weightDecay = v;
            return this;
        }

        /** Sets the augmentation. */
        public Builder optAugmentation(Augmentation v) {
            augmentation = v;
            return this;
        }

        /** Sets the run seed. */
        public Builder optSeed(long v) {
            seed = v;
            return this;
        }

        /** Sets the number of folds. */
        public Builder optFolds(int v) {
            folds = v;
            return this;
        }

        /** Sets the early-stopping patience (0 = off). */
        public Builder optPatience(int v) {
            patience = v;
            return this;
        }

        /** Sets the held-out fraction (0 = none). */
        public Builder optHeldOutFraction(double v) {
            heldOutFraction = v;
            return this;
        }

        /** Sets the subset size (0 = all). */
        public Builder optSubset(int v) {
            subset = v;
            return this;
        }

        /** Builds and validates the config. */
        public TrainingConfig build() {
            return new TrainingConfig(architecture, batchSize, epochs, optimizer, learningRate, schedule,
                    weightDecay, augmentation, seed, folds, patience, heldOutFraction, subset);
        }
    }
}
