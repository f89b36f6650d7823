package dev.cnnlab.training.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class TrainingConfigTest {

    private static void rejects(UnaryOperator<TrainingConfig.Builder> change, String value) {
        var e = assertThrows(IllegalArgumentException.class, () -> change.apply(TrainingConfig.builder("lenet5")).build());
        assertTrue(e.getMessage().contains(value), "message names " + value + ": " + e.getMessage());
    }

    @Test
    void rejectsBadValuesNamingThem() {
        rejects(b -> b.optBatchSize(0), "0");
        rejects(b -> b.optBatchSize(5000), "5000");
        rejects(b -> b.optEpochs(-3), "-3");
        rejects(b -> b.optLearningRate(-0.5), "-0.5");
        rejects(b -> b.optLearningRate(Double.NaN), "NaN");
        rejects(b -> b.optWeightDecay(2.5), "2.5");
        rejects(b -> b.optFolds(0), "folds");
        rejects(b -> b.optPatience(-1), "-1");
        rejects(b -> b.optHeldOutFraction(1.0), "1.0");
        rejects(b -> b.optSubset(-7), "-7");
        rejects(b -> b.setArchitecture(" "), "' '");
        rejects(b -> b.optOptimizer(null), "null");
    }

    @Test
    void builderHasVisibleDefaultsAndRoundTrips() {
        TrainingConfig c = TrainingConfig.builder("keras-cifar10").build();
        assertEquals(64, c.batchSize());
        assertEquals(Optimizer.ADAM, c.optimizer());
        assertEquals(1e-3, c.learningRate());
        assertEquals(c, c.toBuilder().build());
        assertEquals(7, c.toBuilder().optEpochs(7).build().epochs());
    }

    @Test
    void schedulesFollowTheirShapes() {
        LearningRateSchedule step = new LearningRateSchedule(Schedule.STEP, 0.1, 10, 8);
        assertEquals(0.1, step.atEpoch(3), 1e-12);
        assertEquals(0.01, step.atEpoch(4), 1e-12);
        assertEquals(0.001, step.atEpoch(6), 1e-12);
        LearningRateSchedule cos = new LearningRateSchedule(Schedule.COSINE, 0.1, 10, 4);
        assertEquals(0.1, cos.valueAt(0, 0), 1e-12);
        assertEquals(0.05, cos.valueAt(20, 2), 1e-12);
        LearningRateSchedule one = new LearningRateSchedule(Schedule.ONECYCLE, 0.1, 10, 10);
        assertEquals(0.004, one.valueAt(0, 0), 1e-12);
        assertEquals(0.1, one.valueAt(30, 3), 1e-12);
        assertTrue(one.valueAt(99, 9) < 0.001);
        assertEquals(0.1, new LearningRateSchedule(Schedule.CONSTANT, 0.1, 10, 10).valueAt(77, 7));
    }

    @Test
    void evaluationDerivesPerClassMetricsFromTheConfusionMatrix() {
        int[][] confusion = {{3, 1}, {2, 4}};
        EvaluationResult e = EvaluationResult.of(java.util.List.of("a", "b"), confusion, 10, 5.0);
        assertEquals(10, e.count());
        assertEquals(0.7, e.accuracy(), 1e-12);
        assertEquals(0.6, e.precision()[0], 1e-12); // 3 / (3 + 2)
        assertEquals(0.75, e.recall()[0], 1e-12); // 3 / (3 + 1)
        assertEquals(2 * 0.6 * 0.75 / 1.35, e.f1()[0], 1e-12);
        assertEquals(0.8, e.precision()[1], 1e-12);
        assertEquals(4.0 / 6, e.recall()[1], 1e-12);
        assertEquals(0.5, e.loss(), 1e-12);
        assertEquals(1.0, e.top5Accuracy(), 1e-12);
    }

    @Test
    void jsonWrittenBeforeAFieldExistedReadsWithItsDefault() throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        TrainingConfig c = TrainingConfig.builder("resnet20").optAugmentation(dev.cnnlab.training.data.Augmentation.CROP_FLIP)
                .optWeightDecay(5e-3).build();
        assertEquals(c, json.readValue(json.writeValueAsString(c), TrainingConfig.class));
        // a checkpoint of an older version: no momentum, labelSmoothing, lookahead, repeats ...
        String old = "{\"architecture\":\"resnet20\",\"batchSize\":64,\"epochs\":10,\"optimizer\":\"ADAM\","
                + "\"learningRate\":0.001,\"schedule\":\"CONSTANT\",\"weightDecay\":0.005,\"augmentation\":\"CROP_FLIP\","
                + "\"seed\":42,\"folds\":1,\"patience\":0,\"heldOutFraction\":0.0,\"subset\":0}";
        assertEquals(c, json.readValue(old, TrainingConfig.class));
    }
}
