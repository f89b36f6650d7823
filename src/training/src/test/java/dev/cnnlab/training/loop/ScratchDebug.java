package dev.cnnlab.training.loop;

import dev.cnnlab.training.data.Augmentation;
import dev.cnnlab.training.data.TestData;
import java.nio.file.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScratchDebug {
    @Test
    void debug(@TempDir Path dir) {
        TrainingConfig config = TrainingConfig.builder("keras-cifar10").optBatchSize(32).optEpochs(1)
                .optSchedule(Schedule.COSINE).optAugmentation(Augmentation.CROP_FLIP).optSeed(5).build();
        new CnnTrainer(config).trainFold(TestData.random(10, 10, 1), null, 0, dir, TrainingListener.NONE);
        Checkpoint c = new Checkpoint(dir);
        ComputationGraph net = c.network(c.state().orElseThrow());
        String json = net.getConfiguration().toJson();
        int i = json.indexOf("LearningRateSchedule") - 300;
        System.out.println("CONF " + json.substring(i, Math.min(json.length(), i + 900)));
        System.out.println("ITER " + net.getIterationCount() + " EPOCH " + net.getEpochCount());
        System.out.println("PARAMS finite " + net.params().isInfinite().any() + " nan " + net.params().isNaN().any());
        System.out.println("STATE " + net.getUpdater().getStateViewArray().isNaN().any() + " "+ net.getUpdater().getStateViewArray().length());
        System.out.println("STATE sum " + net.getUpdater().getStateViewArray().sumNumber());
    }
}
