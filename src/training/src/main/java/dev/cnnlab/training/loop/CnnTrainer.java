package dev.cnnlab.training.loop;

import dev.cnnlab.training.arch.ArchitectureSpec;
import dev.cnnlab.training.arch.Architectures;
import dev.cnnlab.training.data.ImageDataset;
import dev.cnnlab.training.data.Splits;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Trains CNNs on an {@link ImageDataset} as a {@link TrainingConfig} says: k-fold cross-validation
 * ({@link #crossValidate}), single folds ({@link #trainFold}) and the final model ({@link #trainFinal}).
 *
 * <p>Data preparation ({@link #prepare}) first takes the stratified subset, then splits off the
 * stratified held-out set; folds are drawn from the rest. Everything random derives from the config's
 * seed, so the same seed, data and machine give the same metrics.
 */
public final class CnnTrainer {
    /** The fold number used for the final model. */
    public static final int FINAL_FOLD = -1;

    private final TrainingConfig config;
    private final ArchitectureSpec spec;

    /** Creates a trainer for a config, looking its architecture up in {@link Architectures}. */
    public CnnTrainer(TrainingConfig config) {
        this(config, Architectures.get(config.architecture()));
    }

    /** Creates a trainer for a config and an explicit architecture spec. */
    public CnnTrainer(TrainingConfig config, ArchitectureSpec spec) {
        if (!spec.name().equals(config.architecture())) {
            throw new IllegalArgumentException("config names architecture '" + config.architecture()
                    + "' but the spec is '" + spec.name() + "'");
        }
        this.config = config;
        this.spec = spec;
    }

    /** Returns the config. */
    public TrainingConfig config() {
        return config;
    }

    /** Returns the architecture spec. */
    public ArchitectureSpec spec() {
        return spec;
    }

    /**
     * The data of a run after subsetting: the development part (folds and final training) and the
     * held-out part (null when {@code heldOutFraction} is 0).
     *
     * @param development images for cross-validation and final training
     * @param heldOut     images kept out of all training, or null
     */
    public record PreparedData(ImageDataset development, ImageDataset heldOut) {
    }

    /** Applies the config's subset and held-out split (both stratified and seeded). */
    public PreparedData prepare(ImageDataset data) {
        ImageDataset d = data;
        if (config.subset() > 0 && config.subset() < data.size()) {
            d = data.select(Splits.stratifiedSubset(data.labels(), config.subset(), config.seed()));
        }
        if (config.heldOutFraction() == 0) {
            return new PreparedData(d, null);
        }
        Splits.Split s = Splits.stratifiedHoldOut(d.labels(), config.heldOutFraction(), config.seed() ^ 0x4e1dL);
        return new PreparedData(d.select(s.train()), d.select(s.validation()));
    }

    /**
     * Returns the fold splits of the development data, {@link TrainingConfig#foldCount} of them: for
     * each repeat j (split with {@link TrainingConfig#splitSeed}) k stratified folds, or for
     * {@code folds == 1} a single stratified 80/20 split; fold i is fold i % k of repeat i / k.
     */
    public List<Splits.Split> folds(ImageDataset development) {
        List<Splits.Split> splits = new ArrayList<>();
        for (int repeat = 0; repeat < config.repeats(); repeat++) {
            long seed = config.splitSeed(repeat);
            splits.addAll(config.folds() == 1 ? List.of(Splits.stratifiedHoldOut(development.labels(), 0.2, seed))
                    : Splits.stratifiedKFold(development.labels(), config.folds(), seed));
        }
        return splits;
    }

    /**
     * Runs cross-validation: {@link #prepare} the data, then train every fold (each resumable from
     * {@code checkpointRoot/fold-<i>}).
     *
     * @param data           all images of the source
     * @param checkpointRoot checkpoint folder, or null for no checkpoints
     * @param listener       progress receiver
     * @return every fold's result and the mean/std accuracy
     */
    public CrossValidationResult crossValidate(ImageDataset data, Path checkpointRoot, TrainingListener listener) {
        ImageDataset dev = prepare(data).development();
        List<Splits.Split> splits = folds(dev);
        List<FoldResult> results = new ArrayList<>();
        for (int f = 0; f < splits.size(); f++) {
            Splits.Split s = splits.get(f);
            Path dir = checkpointRoot == null ? null : checkpointRoot.resolve("fold-" + f);
            results.add(trainFold(dev.select(s.train()), dev.select(s.validation()), f, dir, listener));
        }
        return CrossValidationResult.of(results);
    }

    /**
     * Trains one fold, resuming from the checkpoint in {@code checkpointDir} if there is one; the
     * listener hears only about epochs trained now. Early stopping applies when patience is set.
     *
     * @param train         training images
     * @param validation    validation images, or null
     * @param fold          the fold number (seeds derive from it)
     * @param checkpointDir where to checkpoint every epoch, or null for none
     * @param listener      progress receiver; cancellation throws {@link java.util.concurrent.CancellationException}
     * @return the fold's result
     * @throws TrainingDivergedException if the loss becomes NaN or infinite
     */
    public FoldResult trainFold(ImageDataset train, ImageDataset validation, int fold, Path checkpointDir,
                                TrainingListener listener) {
        return trainFold(train, validation, fold, checkpointDir, listener, config.epochs());
    }

    /**
     * As {@link #trainFold(ImageDataset, ImageDataset, int, Path, TrainingListener)}, but stops after epoch
     * {@code untilEpoch} (its checkpoint written), the result being the fold's as of that epoch. The
     * learning-rate schedule still spans the config's epochs, so a fold trained to epoch e, then resumed
     * to the end, trains exactly as one trained to the end at once (successive halving's rungs).
     *
     * @param untilEpoch the last epoch to train now, from 1 to the config's epochs
     */
    public FoldResult trainFold(ImageDataset train, ImageDataset validation, int fold, Path checkpointDir,
                                TrainingListener listener, int untilEpoch) {
        if (untilEpoch < 1 || untilEpoch > config.epochs()) {
            throw new IllegalArgumentException("untilEpoch must be from 1 to " + config.epochs() + ", got " + untilEpoch);
        }
        checkClasses(train, validation);
        return new FoldTrainer(config, spec).train(train, validation, fold, checkpointDir, listener, true, untilEpoch);
    }

    /**
     * Trains the final model on all development data for the configured epochs (no early stopping),
     * then evaluates it on the held-out set. The held-out metrics appear in the epoch records for
     * monitoring only; nothing is selected on them.
     *
     * @param data          all images of the source ({@link #prepare} is applied)
     * @param checkpointDir where to checkpoint every epoch, or null for none
     * @param listener      progress receiver (fold {@link #FINAL_FOLD})
     * @return the trained model, its training record and the held-out evaluation (null without one)
     */
    public FinalResult trainFinal(ImageDataset data, Path checkpointDir, TrainingListener listener) {
        PreparedData p = prepare(data);
        checkClasses(p.development(), p.heldOut());
        FoldTrainer trainer = new FoldTrainer(config, spec);
        FoldResult r = trainer.train(p.development(), p.heldOut(), FINAL_FOLD, checkpointDir, listener, false,
                config.epochs());
        TrainedModel model = new TrainedModel(trainer.network, spec, p.development().classes(),
                r.normalization().mean(), r.normalization().std());
        EvaluationResult heldOut = p.heldOut() == null ? null
                : Evaluator.evaluate(trainer.network, p.heldOut(), r.normalization(), 256);
        return new FinalResult(model, r, heldOut);
    }

    private void checkClasses(ImageDataset train, ImageDataset validation) {
        if (train.numClasses() != spec.numClasses()) {
            throw new IllegalArgumentException("data has " + train.numClasses() + " classes but " + spec.name()
                    + " outputs " + spec.numClasses());
        }
        if (validation != null && !validation.classes().equals(train.classes())) {
            throw new IllegalArgumentException("validation classes " + validation.classes()
                    + " differ from training classes " + train.classes());
        }
    }
}
