package dev.cnnlab.training.loop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnlab.training.data.Augmentation;
import dev.cnnlab.training.data.ImageDataset;
import dev.cnnlab.training.data.Normalization;
import dev.cnnlab.training.data.Splits;
import dev.cnnlab.training.data.TestData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.DoubleUnaryOperator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.factory.Nd4j;

class CnnTrainerTest {

    /** Records epochs and cancels once {@code cancelAfterEpochs} epochs were reported. */
    private static final class Recorder implements TrainingListener {
        final List<EpochMetrics> epochs = new ArrayList<>();
        int batches;
        final int cancelAfterEpochs;

        Recorder(int cancelAfterEpochs) {
            this.cancelAfterEpochs = cancelAfterEpochs;
        }

        @Override
        public void onBatch(int epoch, int batch, int total, double loss, double imagesPerSec) {
            batches++;
        }

        @Override
        public void onEpoch(int fold, EpochMetrics m) {
            epochs.add(m);
        }

        @Override
        public boolean isCancelled() {
            return epochs.size() >= cancelAfterEpochs;
        }
    }

    private static void assertSameEpoch(EpochMetrics a, EpochMetrics b) {
        assertEquals(a.epoch(), b.epoch());
        assertEquals(a.trainLoss(), b.trainLoss(), 0.0);
        assertEquals(a.trainAccuracy(), b.trainAccuracy(), 0.0);
        assertEquals(a.valLoss(), b.valLoss(), 0.0);
        assertEquals(a.valAccuracy(), b.valAccuracy(), 0.0);
        assertEquals(a.learningRate(), b.learningRate(), 0.0);
    }

    /** resnet20: a restored network must get the same batch-norm helper as a built one. */
    @ParameterizedTest
    @ValueSource(strings = {"keras-cifar10", "resnet20"})
    void resumeAfterCheckpointEqualsUninterruptedRun(String arch, @TempDir Path dir) {
        TrainingConfig config = TrainingConfig.builder(arch).optBatchSize(32).optEpochs(2)
                .optSchedule(Schedule.COSINE).optAugmentation(Augmentation.CROP_FLIP).optSeed(5).build();
        ImageDataset train = TestData.random(10, 10, 1);
        ImageDataset val = TestData.random(3, 10, 2);
        CnnTrainer trainer = new CnnTrainer(config);

        Recorder straight = new Recorder(Integer.MAX_VALUE);
        FoldResult a = trainer.trainFold(train, val, 0, dir.resolve("a"), straight);
        assertEquals(2, straight.epochs.size());
        assertEquals(8, straight.batches);

        Recorder interrupted = new Recorder(1);
        var e = assertThrows(CancellationException.class,
                () -> trainer.trainFold(train, val, 0, dir.resolve("b"), interrupted));
        assertTrue(e.getMessage().contains("epoch 2"), e.getMessage());
        assertEquals(1, interrupted.epochs.size());

        Recorder resumed = new Recorder(Integer.MAX_VALUE);
        FoldResult b = new CnnTrainer(config).trainFold(train, val, 0, dir.resolve("b"), resumed);
        assertEquals(1, resumed.epochs.size(), "only the epoch after the checkpoint is reported");
        assertSameEpoch(straight.epochs.get(1), resumed.epochs.get(0));
        assertEquals(2, b.epochs().size());
        assertSameEpoch(a.epochs().get(0), b.epochs().get(0));
        assertEquals(a.evaluation(), b.evaluation());
        assertEquals(a.bestEpoch(), b.bestEpoch());

        ComputationGraph netA = network(dir.resolve("a"));
        ComputationGraph netB = network(dir.resolve("b"));
        assertEquals(netA.params(), netB.params(), "identical weights");
        assertEquals(netA.getUpdater().getStateViewArray(), netB.getUpdater().getStateViewArray());
        assertEquals(2, netB.getEpochCount());
    }

    @Test
    void evaluationsInsideAnEpochAreReportedAndLeaveTheTrainingUnchanged() {
        TrainingConfig config = TrainingConfig.builder("lenet5").optBatchSize(16).optEpochs(2).optSeed(3).build();
        ImageDataset train = TestData.random(10, 10, 1);
        ImageDataset val = TestData.random(3, 10, 2);
        FoldResult plain = new CnnTrainer(config).trainFold(train, val, 0, null, TrainingListener.NONE);

        List<EvaluationPoint> points = new ArrayList<>();
        FoldResult timed = new CnnTrainer(config).trainFold(train, val, 0, null, new TrainingListener() {
            @Override
            public int evaluateEveryBatches() {
                return 3;
            }

            @Override
            public void onEvaluation(int fold, EvaluationPoint point) {
                points.add(point);
            }
        });

        // 100 images in batches of 16: 7 per epoch, evaluated after batches 3 and 6 (7 ends the epoch)
        assertEquals(List.of(3 / 7.0, 6 / 7.0, 1 + 3 / 7.0, 1 + 6 / 7.0),
                points.stream().map(EvaluationPoint::epochs).toList());
        assertEquals(List.of(48L, 96L, 148L, 196L), points.stream().map(EvaluationPoint::images).toList());
        for (int i = 1; i < points.size(); i++) {
            assertTrue(points.get(i).seconds() > points.get(i - 1).seconds(), "training time grows: " + points);
        }
        assertTrue(points.get(3).seconds() < timed.seconds(), "the last point comes before the fold's end");
        points.forEach(p -> assertTrue(p.accuracy() >= 0 && p.accuracy() <= 1 && Double.isFinite(p.loss()), p::toString));
        for (int e = 0; e < 2; e++) {
            assertSameEpoch(plain.epochs().get(e), timed.epochs().get(e));
        }
    }

    /** A rung: trained to epoch 1 and resumed to 2 later, the fold ends as one trained to 2 at once. */
    @Test
    void trainingUntilAnEpochThenResumingEqualsOneRun(@TempDir Path dir) {
        TrainingConfig config = TrainingConfig.builder("lenet5").optBatchSize(32).optEpochs(2)
                .optSchedule(Schedule.COSINE).optSeed(7).build();
        ImageDataset train = TestData.random(10, 10, 1);
        ImageDataset val = TestData.random(3, 10, 2);
        FoldResult straight = new CnnTrainer(config).trainFold(train, val, 0, dir.resolve("a"), TrainingListener.NONE);

        Recorder rung = new Recorder(Integer.MAX_VALUE);
        FoldResult atRung = new CnnTrainer(config).trainFold(train, val, 0, dir.resolve("b"), rung, 1);
        assertEquals(1, rung.epochs.size());
        assertEquals(1, atRung.epochs().size());
        assertFalse(atRung.stoppedEarly());
        assertEquals(1, new Checkpoint(dir.resolve("b")).state().orElseThrow().epochsDone());
        assertSameEpoch(straight.epochs().get(0), atRung.epochs().get(0));

        FoldResult promoted = new CnnTrainer(config).trainFold(train, val, 0, dir.resolve("b"), TrainingListener.NONE, 2);
        assertSameEpoch(straight.epochs().get(1), promoted.epochs().get(1));
        assertEquals(straight.accuracy(), promoted.accuracy(), 0.0);
        var e = assertThrows(IllegalArgumentException.class, () -> new CnnTrainer(config).trainFold(train, val, 0,
                dir.resolve("c"), TrainingListener.NONE, 3));
        assertTrue(e.getMessage().contains("got 3"), e.getMessage());
    }

    private static ComputationGraph network(Path dir) {
        Checkpoint c = new Checkpoint(dir);
        return c.network(c.state().orElseThrow());
    }

    @Test
    void hugeLearningRateDivergesWithEpochAndBatchInTheMessage() {
        TrainingConfig config = TrainingConfig.builder("lenet5").optBatchSize(16).optEpochs(20)
                .optOptimizer(Optimizer.SGD).optLearningRate(10).build();
        var e = assertThrows(TrainingDivergedException.class, () -> new CnnTrainer(config)
                .trainFold(TestData.random(8, 10, 3), null, 0, null, TrainingListener.NONE));
        assertTrue(e.getMessage().matches(".*epoch \\d+, batch \\d+.*"), e.getMessage());
    }

    @Test
    void repeatedKFoldGivesRepeatsTimesFoldsSplitsAndKeepsTheFirstRepeat() {
        ImageDataset data = TestData.random(6, 5, 2); // 30 images
        TrainingConfig once = TrainingConfig.builder("lenet5").optFolds(3).optSeed(9).build();
        TrainingConfig thrice = once.toBuilder().optRepeats(3).build();
        List<Splits.Split> single = new CnnTrainer(once).folds(data);
        List<Splits.Split> repeated = new CnnTrainer(thrice).folds(data);
        assertEquals(9, thrice.foldCount());
        assertEquals(9, repeated.size());
        for (int i = 0; i < 3; i++) {
            // repeat 0 splits with the run seed, exactly as without repeats
            assertArrayEquals(single.get(i).validation(), repeated.get(i).validation(), "fold " + i);
        }
        for (int r = 0; r < 3; r++) {
            // each repeat's validation parts partition the data
            int repeat = r;
            int[] covered = java.util.stream.IntStream.range(0, 3)
                    .flatMap(f -> Arrays.stream(repeated.get(3 * repeat + f).validation())).sorted().toArray();
            assertArrayEquals(java.util.stream.IntStream.range(0, 30).toArray(), covered, "repeat " + repeat);
        }
        assertFalse(Arrays.equals(repeated.get(0).validation(), repeated.get(3).validation()),
                "repeat 1 is split with another seed");
        assertFalse(Arrays.equals(repeated.get(3).validation(), repeated.get(6).validation()));
        // another run with the same seed (other settings) gets the same splits: runs pair on (repeat, fold)
        List<Splits.Split> other = new CnnTrainer(thrice.toBuilder().optBatchSize(8).optLearningRate(0.1).build())
                .folds(data);
        for (int i = 0; i < 9; i++) {
            assertArrayEquals(repeated.get(i).validation(), other.get(i).validation(), "fold " + i);
        }
        assertEquals(9L, thrice.splitSeed(0));
        assertNotEquals(thrice.splitSeed(1), thrice.splitSeed(2));
    }

    @Test
    void crossValidationNormalizesOnEachTrainingFoldOnly() {
        TrainingConfig config = TrainingConfig.builder("lenet5").optBatchSize(16).optEpochs(1).optFolds(3)
                .optHeldOutFraction(0.2).optSeed(9).build();
        ImageDataset data = TestData.random(10, 10, 4); // 100 images, random pixels
        CnnTrainer trainer = new CnnTrainer(config);
        CrossValidationResult cv = trainer.crossValidate(data, null, TrainingListener.NONE);
        assertEquals(3, cv.folds().size());

        CnnTrainer.PreparedData p = trainer.prepare(data);
        assertEquals(20, p.heldOut().size());
        List<Splits.Split> splits = trainer.folds(p.development());
        Normalization all = Normalization.compute(p.development());
        for (int f = 0; f < 3; f++) {
            FoldResult r = cv.folds().get(f);
            ImageDataset trainPart = p.development().select(splits.get(f).train());
            assertEquals(trainPart.size(), r.trainSize());
            assertEquals(80, r.trainSize() + r.valSize());
            assertEquals(Normalization.compute(trainPart), r.normalization(), "fold " + f + " uses its training part");
            assertNotEquals(all, r.normalization(), "fold " + f + " does not see its validation images");
            assertEquals(r.valSize(), r.evaluation().count());
            assertEquals(10, r.evaluation().confusion().length);
        }
        assertTrue(cv.meanAccuracy() >= 0 && cv.meanAccuracy() <= 1);
    }

    @Test
    void finalModelIsTrainedOnDevelopmentDataAndEvaluatedOnHeldOut() {
        TrainingConfig config = TrainingConfig.builder("resnet20").optBatchSize(16).optEpochs(1)
                .optHeldOutFraction(0.25).build();
        FinalResult r = new CnnTrainer(config).trainFinal(TestData.random(4, 10, 5), null, TrainingListener.NONE);
        assertEquals(30, r.training().trainSize());
        assertEquals(10, r.heldOut().count());
        assertEquals(r.training().normalization(), r.model().normalization());
        assertEquals("resnet20", r.model().spec().name());
        assertEquals(10, r.model().labels().size());
        assertArrayEquals(new long[] {2, 10},
                r.model().network().outputSingle(false, Nd4j.rand(new int[] {2, 3, 32, 32}, 1L)).shape());
    }

    @Test
    void earlyStoppingEndsTheFoldWhenValidationAccuracyStopsImproving() {
        // A tiny learning rate leaves the predictions, hence the validation accuracy, unchanged.
        TrainingConfig config = TrainingConfig.builder("lenet5").optBatchSize(16).optEpochs(6).optPatience(2)
                .optLearningRate(1e-12).build();
        FoldResult r = new CnnTrainer(config).trainFold(TestData.random(4, 10, 6), TestData.random(2, 10, 7), 0,
                null, TrainingListener.NONE);
        assertTrue(r.stoppedEarly());
        assertEquals(1, r.bestEpoch());
        assertEquals(3, r.epochs().size());
    }

    @Test
    void trainLossIsTheDataLossWithoutTheWeightDecayPenalty() {
        // A tiny learning rate keeps the weights where they start; only the penalty would differ.
        DoubleUnaryOperator firstEpochLoss = weightDecay -> new CnnTrainer(TrainingConfig.builder("lenet5")
                .optBatchSize(16).optEpochs(1).optLearningRate(1e-12).optWeightDecay(weightDecay).optSeed(3).build())
                .trainFold(TestData.random(4, 10, 8), null, 0, null, TrainingListener.NONE).epochs().get(0).trainLoss();
        double plain = firstEpochLoss.applyAsDouble(0);
        assertTrue(plain > 1 && plain < 5, "cross-entropy of an untrained 10-class network: " + plain);
        assertEquals(plain, firstEpochLoss.applyAsDouble(0.5), 1e-4);
    }

    @Test
    void rejectsDataWithTheWrongClassCount() {
        CnnTrainer trainer = new CnnTrainer(TrainingConfig.builder("lenet5").optEpochs(1).build());
        var e = assertThrows(IllegalArgumentException.class,
                () -> trainer.trainFold(TestData.random(2, 3, 1), null, 0, null, TrainingListener.NONE));
        assertTrue(e.getMessage().contains("3 classes"), e.getMessage());
    }
}
