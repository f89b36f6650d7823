package dev.cnnlab.training.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cnnlab.training.data.ImageDataset;
import dev.cnnlab.training.data.ImageFolderReader;
import dev.cnnlab.training.data.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** keras-cifar10 learns real CIFAR-10 images: clearly better than chance on held-out images. */
class Cifar10AccuracyTest {
    private static final Logger LOG = Logger.getLogger(Cifar10AccuracyTest.class.getName());

    @Test
    void kerasCifar10BeatsChanceOnHeldOutImages() throws Exception {
        Path root = TestData.sharedCifarTrain();
        assumeTrue(Files.isDirectory(root), "shared CIFAR-10 images absent: " + root);
        ImageDataset images = ImageFolderReader.read(root, 250); // 2,500 images, 250 per class
        TrainingConfig config = TrainingConfig.builder("keras-cifar10").optBatchSize(32)
                .optEpochs(Integer.getInteger("cnnlab.accuracyEpochs", 4)).optHeldOutFraction(0.2).optSeed(1).build();
        FinalResult r = new CnnTrainer(config).trainFinal(images, null, new TrainingListener() {
            @Override
            public void onEpoch(int fold, EpochMetrics m) {
                LOG.info(() -> "accuracy test " + m);
            }
        });
        assertEquals(500, r.heldOut().count());
        LOG.info(() -> "held-out " + r.heldOut() + ", " + r.training().imagesPerSec() + " img/s");
        assertTrue(r.heldOut().accuracy() > 0.30, "held-out accuracy " + r.heldOut().accuracy() + " <= 0.30");
        assertTrue(r.heldOut().top5Accuracy() > r.heldOut().accuracy());
    }
}
