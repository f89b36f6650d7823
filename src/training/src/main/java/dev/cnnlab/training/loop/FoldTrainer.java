package dev.cnnlab.training.loop;

import dev.cnnlab.training.arch.ArchitectureSpec;
import dev.cnnlab.training.arch.NetworkBuilder;
import dev.cnnlab.training.arch.Updaters;
import dev.cnnlab.training.arch.Whitening;
import dev.cnnlab.training.data.Augmentation;
import dev.cnnlab.training.data.BatchIterator;
import dev.cnnlab.training.data.ImageDataset;
import dev.cnnlab.training.data.Normalization;
import dev.cnnlab.training.data.Splits;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.logging.Logger;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;

/**
 * Trains one fold: the epoch loop, written out (fit, evaluate, record, checkpoint, early stop).
 * Without early stopping (the final model) the last epoch counts as the best.
 */
final class FoldTrainer {
    private static final Logger LOG = Logger.getLogger(FoldTrainer.class.getName());
    private static final int TRAIN_EVAL_SAMPLE = 1024;
    private static final long PROGRESS_EVERY_NANOS = 2_000_000_000L;
    /** Images the whitening layer's patch covariance is taken from (airbench: 5,000). */
    private static final int WHITENING_IMAGES = 5000;

    private final TrainingConfig config;
    private final ArchitectureSpec spec;

    /** The network after {@link #train}, for the final model. */
    ComputationGraph network;

    FoldTrainer(TrainingConfig config, ArchitectureSpec spec) {
        this.config = config;
        this.spec = spec;
    }

    FoldResult train(ImageDataset train, ImageDataset validation, int fold, Path checkpointDir,
                     TrainingListener listener, boolean earlyStopping, int untilEpoch) {
        long foldSeed = BatchIterator.mix(config.seed(), fold + 1L);
        Normalization norm = Normalization.compute(train); // training images only: no leakage
        BatchIterator batches = new BatchIterator(train, config.batchSize(), norm, config.augmentation(), true, foldSeed);
        int batchesPerEpoch = batches.batchesPerEpoch();
        LearningRateUnit unit = config.learningRateUnit();
        LearningRateSchedule lr = new LearningRateSchedule(config.schedule(),
                unit.stepLearningRate(config.learningRate(), config.batchSize(), config.momentum()),
                batchesPerEpoch, config.epochs());
        long totalSteps = (long) batchesPerEpoch * config.epochs();
        ImageDataset trainSample = train.select(Splits.stratifiedSubset(train.labels(),
                Math.min(TRAIN_EVAL_SAMPLE, train.size()), foldSeed));

        // Start fresh, or continue from the last completed epoch's checkpoint.
        Checkpoint checkpoint = checkpointDir == null ? null : new Checkpoint(checkpointDir);
        Checkpoint.State saved = checkpoint == null ? null : checkpoint.state().orElse(null);
        ComputationGraph net;
        List<EpochMetrics> history = new ArrayList<>();
        int bestEpoch = 0;
        EvaluationResult best = null;
        double seconds = 0;
        long images = 0;
        Lookahead lookahead = null;
        if (saved != null) {
            if (!saved.config().equals(config) || saved.fold() != fold) {
                throw new IllegalStateException("checkpoint in " + checkpointDir + " was written for fold "
                        + saved.fold() + " with " + saved.config() + ", not fold " + fold + " with " + config);
            }
            net = checkpoint.network(saved);
            history.addAll(saved.epochs());
            bestEpoch = saved.bestEpoch();
            best = saved.bestEvaluation();
            seconds = saved.seconds();
            images = saved.images();
            if (config.lookahead()) {
                lookahead = new Lookahead(checkpoint.array(Lookahead.FILE, saved.epochsDone()));
            }
            LOG.info(() -> "fold " + fold + ": resuming after epoch " + saved.epochsDone() + " from " + checkpointDir);
        } else {
            long start = System.nanoTime();
            net = NetworkBuilder.build(spec, updaters(lr),
                    unit.weightDecayCoefficient(config.weightDecay(), config.learningRate(), config.momentum()), foldSeed);
            if (Whitening.needed(spec)) {
                Whitening.initialize(net, spec, new BatchIterator(train, Math.min(WHITENING_IMAGES, train.size()),
                        norm, Augmentation.NONE, false, 0).next().getFeatures());
            }
            if (config.lookahead()) {
                lookahead = new Lookahead(net.params());
            }
            seconds += (System.nanoTime() - start) / 1e9; // part of the time to accuracy, as in airbench
        }
        double smoothing = config.labelSmoothing();

        boolean stoppedEarly = false;
        for (int epoch = history.size() + 1; epoch <= untilEpoch; epoch++) {
            if (earlyStopping && config.patience() > 0 && best != null && epoch - 1 - bestEpoch >= config.patience()) {
                stoppedEarly = true;
                break;
            }
            // 1. Seed this epoch's randomness: batch order, augmentation and dropout masks.
            batches.setEpoch(epoch - 1);
            Nd4j.getRandom().setSeed(BatchIterator.mix(foldSeed, 1_000_000L + epoch));
            double epochLr = lr.atEpoch(epoch - 1);

            // 2. Fit the epoch batch by batch, checking for cancellation and divergence.
            long start = System.nanoTime();
            long lastLog = start;
            double lossSum = 0;
            int seen = 0;
            for (int b = 1; batches.hasNext(); b++) {
                if (listener.isCancelled()) {
                    throw new CancellationException("fold " + fold + " cancelled at epoch " + epoch + ", batch " + b);
                }
                DataSet batch = batches.next();
                if (smoothing > 0) { // (1 - s) y + s / K: cross-entropy against it is label smoothing
                    batch.getLabels().muli(1 - smoothing).addi(smoothing / batch.getLabels().size(1));
                }
                net.fit(batch);
                if (lookahead != null) {
                    lookahead.afterStep(net.params(), net.getIterationCount(), totalSteps);
                }
                // DL4J's score adds the weight decay penalty, which grows as the weights do; report the
                // data loss alone, comparable with the validation loss
                double loss = net.score() - net.calcRegularizationScore(true);
                if (!Double.isFinite(loss)) {
                    throw new TrainingDivergedException(epoch, b, loss);
                }
                int n = batch.numExamples();
                lossSum += loss * n;
                seen += n;
                long now = System.nanoTime();
                double ips = seen / ((now - start) / 1e9);
                listener.onBatch(epoch, b, batchesPerEpoch, loss, ips);
                if (now - lastLog >= PROGRESS_EVERY_NANOS) {
                    lastLog = now;
                    logProgress(fold, epoch, b, batchesPerEpoch, loss, ips, train.size());
                }
                int every = listener.evaluateEveryBatches();
                if (every > 0 && validation != null && b % every == 0 && batches.hasNext()) {
                    EvaluationResult e = Evaluator.evaluate(net, validation, norm, 256);
                    listener.onEvaluation(fold, new EvaluationPoint(epoch, b, batchesPerEpoch,
                            seconds + (now - start) / 1e9, images + seen, e.accuracy(), e.loss()));
                    start += System.nanoTime() - now; // the evaluation is not training time
                }
            }
            net.incrementEpochCount();
            double epochSeconds = (System.nanoTime() - start) / 1e9;
            seconds += epochSeconds;
            images += seen;

            // 3. Evaluate: a fixed training sample and the validation set, in inference mode.
            EvaluationResult trainEval = Evaluator.evaluate(net, trainSample, norm, 256);
            EvaluationResult valEval = validation == null ? null : Evaluator.evaluate(net, validation, norm, 256);
            if (valEval != null && !Double.isFinite(valEval.loss())) {
                throw new TrainingDivergedException(epoch, batchesPerEpoch, valEval.loss());
            }

            // 4. Record the epoch and the best one so far.
            EpochMetrics m = new EpochMetrics(epoch, lossSum / seen, trainEval.accuracy(),
                    valEval == null ? Double.NaN : valEval.loss(), valEval == null ? Double.NaN : valEval.accuracy(),
                    epochLr, epochSeconds, seen / epochSeconds);
            history.add(m);
            if (!earlyStopping || valEval == null || best == null || valEval.accuracy() > best.accuracy()) {
                best = valEval;
                bestEpoch = epoch;
            }
            LOG.info(String.format("fold %d epoch %d/%d: train loss %.4f acc %.4f, val loss %.4f acc %.4f, "
                            + "lr %.2e, %.1f s, %.1f img/s", fold, epoch, config.epochs(), m.trainLoss(),
                    m.trainAccuracy(), m.valLoss(), m.valAccuracy(), epochLr, epochSeconds, m.imagesPerSec()));

            // 5. Checkpoint, then report (a listener that stops the JVM still finds the epoch saved).
            if (checkpoint != null) {
                if (lookahead != null) {
                    checkpoint.saveArray(Lookahead.FILE, epoch, lookahead.average());
                }
                checkpoint.save(net, new Checkpoint.State(config, fold, epoch, history, bestEpoch, best, norm,
                        seconds, images, Checkpoint.modelFile(epoch)));
            }
            listener.onEpoch(fold, m);
        }
        network = net;
        double accuracy = best == null ? Double.NaN : best.accuracy();
        double loss = best == null ? Double.NaN : best.loss();
        return new FoldResult(fold, train.size(), validation == null ? 0 : validation.size(), bestEpoch, accuracy,
                loss, best, history, stoppedEarly, seconds, seconds > 0 ? images / seconds : 0, norm);
    }

    /** The optimizer of each parameter group: batch norm at its own rate, a bias that learns for some epochs. */
    private Updaters updaters(LearningRateSchedule lr) {
        return new Updaters() {
            @Override
            public IUpdater weights() {
                return updater(lr);
            }

            @Override
            public IUpdater batchNorm() {
                return updater(lr.scaled(config.batchNormLrScale(), 0));
            }

            @Override
            public IUpdater until(int epochs) {
                return updater(lr.scaled(1, epochs));
            }
        };
    }

    private IUpdater updater(LearningRateSchedule lr) {
        return switch (config.optimizer()) {
            case ADAM -> Adam.builder().learningRateSchedule(lr).build();
            case SGD -> new Nesterovs(lr, config.momentum());
        };
    }

    private void logProgress(int fold, int epoch, int batch, int batches, double loss, double ips, int trainSize) {
        long remainingImages = (long) (batches - batch) * config.batchSize()
                + (long) (config.epochs() - epoch) * trainSize;
        long eta = ips > 0 ? Math.round(remainingImages / ips) : 0;
        LOG.info(String.format("fold %d epoch %d/%d batch %d/%d loss %.4f %.1f img/s ETA %d:%02d:%02d", fold, epoch,
                config.epochs(), batch, batches, loss, ips, eta / 3600, eta / 60 % 60, eta % 60));
    }
}
