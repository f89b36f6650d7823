package dev.cnnlab.training.loop;

import com.fasterxml.jackson.annotation.JsonCreator;
import dev.cnnlab.training.data.Augmentation;
import java.util.Map;

/**
 * Every hyperparameter of a training run, and the only place one is declared: each component's
 * {@link Param} gives its default, range and description, and {@link #SCHEMA} derives from them the
 * range checks, the command-line options, the stored JSON form and the tracker's {@code /api/schema}.
 * Bad values throw {@link IllegalArgumentException} naming the field and the value.
 *
 * @param architecture    the architecture name (see {@code Architectures})
 * @param batchSize       images per batch
 * @param epochs          epochs per fold
 * @param optimizer       the optimizer
 * @param learningRate    base learning rate
 * @param schedule        learning-rate schedule
 * @param weightDecay     weight decay coefficient
 * @param momentum        SGD's Nesterov momentum
 * @param learningRateUnit what learning rate and weight decay are measured in
 * @param batchNormLrScale learning-rate multiplier of the batch-normalization parameters
 * @param labelSmoothing  share of each label spread evenly over all classes
 * @param lookahead       airbench's lookahead (an average of the weights that trails them)
 * @param augmentation    training augmentation
 * @param seed            run seed; fold, shuffle, augmentation and init seeds derive from it
 * @param folds           k of k-fold cross-validation; 1 = a single stratified 80/20 split
 * @param repeats         r of repeated k-fold: r x k folds, repeat j split with {@link #splitSeed(int)}
 * @param patience        early-stopping patience, 0 = off
 * @param heldOutFraction share of the data held out from all folds for a final test
 * @param subset          use a stratified, seeded subset of this many images, 0 = all
 */
public record TrainingConfig(
        @Param(description = "architecture (see --list-archs)", defaultValue = "keras-cifar10", cli = "arch")
        String architecture,
        @Param(description = "images per batch", defaultValue = "64", range = "[1, 4096]")
        int batchSize,
        @Param(description = "epochs per fold", defaultValue = "10", range = "[1, 1000]")
        int epochs,
        @Param(description = "optimizer (sgd: Nesterov momentum 0.9)", defaultValue = "adam")
        Optimizer optimizer,
        @Param(description = "base learning rate", defaultValue = "1e-3", range = "(0, 100]", cli = "lr")
        double learningRate,
        @Param(description = "learning-rate schedule", defaultValue = "constant")
        Schedule schedule,
        @Param(description = "weight decay coefficient", defaultValue = "0", range = "[0, 1)")
        double weightDecay,
        @Param(description = "Nesterov momentum of sgd", defaultValue = "0.9", range = "[0, 1)")
        double momentum,
        @Param(description = "unit of lr and weight decay (per-1024: airbench's decoupled units)",
                defaultValue = "batch", cli = "lr-unit")
        LearningRateUnit learningRateUnit,
        @Param(description = "learning-rate multiplier of batch-norm parameters", defaultValue = "1",
                range = "(0, 1000]", cli = "bn-lr-scale")
        double batchNormLrScale,
        @Param(description = "label smoothing: share of each label spread over all classes", defaultValue = "0",
                range = "[0, 1)")
        double labelSmoothing,
        @Param(description = "lookahead: every 5 steps the weights move to a trailing average", defaultValue = "false")
        boolean lookahead,
        @Param(description = "training augmentation", defaultValue = "none", cli = "augment")
        Augmentation augmentation,
        @Param(description = "run seed; fold, shuffle and init seeds derive from it", defaultValue = "42")
        long seed,
        @Param(description = "k-fold cross-validation; 1 = one 80/20 split", defaultValue = "1", range = "[1, 20]")
        int folds,
        @Param(description = "repeated k-fold: r x k folds, each repeat split with its own seed", defaultValue = "1",
                range = "[1, 10]")
        int repeats,
        @Param(description = "early-stopping patience in epochs, 0 = off", defaultValue = "0", range = "[0, 1000]")
        int patience,
        @Param(description = "held-out fraction for the final test", defaultValue = "0", range = "[0, 1)",
                cli = "held-out")
        double heldOutFraction,
        @Param(description = "stratified subset of this many images, 0 = all", defaultValue = "0",
                range = "[0, 10000000]")
        int subset) {

    /** The fields of this record, read from their {@link Param} annotations. */
    public static final ConfigSchema<TrainingConfig> SCHEMA = ConfigSchema.of(TrainingConfig.class);

    /** Validates every value against its field's range. */
    public TrainingConfig {
        SCHEMA.check(architecture, batchSize, epochs, optimizer, learningRate, schedule, weightDecay, momentum,
                learningRateUnit, batchNormLrScale, labelSmoothing, lookahead, augmentation, seed, folds, repeats,
                patience, heldOutFraction, subset);
    }

    /** The folds a cross-validation trains: {@code repeats x folds}, fold i being fold i % k of repeat i / k. */
    public int foldCount() {
        return repeats * folds;
    }

    /**
     * The seed that splits repeat {@code repeat} into folds: the run seed for repeat 0 (so a single
     * repeat splits as before repeats existed), then seeds derived from it. Runs with the same seed
     * therefore share every (repeat, fold) split.
     *
     * @param repeat the repeat, from 0
     * @return the split seed
     */
    public long splitSeed(int repeat) {
        return seed + repeat * 0x9E3779B97F4A7C15L;   // SplittableRandom's golden-ratio increment
    }

    /**
     * Reads a config from JSON through the schema, so a checkpoint or summary written before a field
     * existed reads with that field's default (Jackson's record constructor would give it 0).
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static TrainingConfig fromJson(Map<String, Object> json) {
        return SCHEMA.fromJson(json);
    }

    /** Returns a builder with the default values and the given architecture. */
    public static Builder builder(String architecture) {
        return new Builder(SCHEMA.defaults()).setArchitecture(architecture);
    }

    /** Returns a builder initialized with this config's values. */
    public Builder toBuilder() {
        return new Builder(SCHEMA.values(this));
    }

    /** Builds a {@link TrainingConfig}, starting from the defaults; {@link #set} reaches any field. */
    public static final class Builder {
        private final Map<String, Object> values;

        private Builder(Map<String, Object> values) {
            this.values = values;
        }

        /** Sets a field by name to a typed value; throws if the schema has no such field. */
        public Builder set(String field, Object value) {
            if (SCHEMA.field(field).isEmpty()) {
                throw new IllegalArgumentException("no training field '" + field + "'");
            }
            values.put(field, value);
            return this;
        }

        /** Sets the architecture name. */
        public Builder setArchitecture(String v) {
            return set("architecture", v);
        }

        /** Sets the batch size. */
        public Builder optBatchSize(int v) {
            return set("batchSize", v);
        }

        /** Sets the number of epochs. */
        public Builder optEpochs(int v) {
            return set("epochs", v);
        }

        /** Sets the optimizer. */
        public Builder optOptimizer(Optimizer v) {
            return set("optimizer", v);
        }

        /** Sets the base learning rate. */
        public Builder optLearningRate(double v) {
            return set("learningRate", v);
        }

        /** Sets the learning-rate schedule. */
        public Builder optSchedule(Schedule v) {
            return set("schedule", v);
        }

        /** Sets the weight decay. */
        public Builder optWeightDecay(double v) {
            return set("weightDecay", v);
        }

        /** Sets the augmentation. */
        public Builder optAugmentation(Augmentation v) {
            return set("augmentation", v);
        }

        /** Sets the run seed. */
        public Builder optSeed(long v) {
            return set("seed", v);
        }

        /** Sets the number of folds. */
        public Builder optFolds(int v) {
            return set("folds", v);
        }

        /** Sets the number of repeats of k-fold cross-validation. */
        public Builder optRepeats(int v) {
            return set("repeats", v);
        }

        /** Sets the early-stopping patience (0 = off). */
        public Builder optPatience(int v) {
            return set("patience", v);
        }

        /** Sets the held-out fraction (0 = none). */
        public Builder optHeldOutFraction(double v) {
            return set("heldOutFraction", v);
        }

        /** Sets the subset size (0 = all). */
        public Builder optSubset(int v) {
            return set("subset", v);
        }

        /** Builds and validates the config. */
        public TrainingConfig build() {
            return SCHEMA.create(values);
        }
    }
}
