package dev.cnnlab.training.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cnnlab.training.data.ImageDataset;
import dev.cnnlab.training.data.TestData;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
    /** Writing to /dev/full fails with ENOSPC, as a write to a full disk does. */
    static final Path FULL = Path.of("/dev/full");

    @Test
    void aFullDiskFailsTheSaveByNameAndKeepsThePreviousCheckpoint(@TempDir Path dir) throws Exception {
        assumeTrue(Files.exists(FULL), "needs Linux's /dev/full");
        TrainingConfig config = TrainingConfig.builder("lenet5").optBatchSize(16).optEpochs(2).optSeed(3).build();
        ImageDataset train = TestData.random(4, 10, 1);
        List<EpochMetrics> reported = new ArrayList<>();
        TrainingListener stopAfterOne = new TrainingListener() {
            @Override
            public void onEpoch(int fold, EpochMetrics m) {
                reported.add(m);
            }

            @Override
            public boolean isCancelled() {
                return !reported.isEmpty();
            }
        };
        assertThrows(CancellationException.class,
                () -> new CnnTrainer(config).trainFold(train, null, 0, dir, stopAfterOne));
        Checkpoint checkpoint = new Checkpoint(dir);
        assertEquals(1, checkpoint.state().orElseThrow().epochsDone());

        // the next network file is written through a link to /dev/full: the disk is "full"
        Path tmp = dir.resolve(Checkpoint.modelFile(2) + ".tmp");
        Files.createSymbolicLink(tmp, FULL);
        var e = assertThrows(UncheckedIOException.class,
                () -> new CnnTrainer(config).trainFold(train, null, 0, dir, TrainingListener.NONE));
        assertTrue(e.getMessage().contains(dir.resolve(Checkpoint.modelFile(2)).toString())
                && e.getMessage().contains("No space left on device"), e.getMessage());

        assertFalse(Files.exists(tmp, java.nio.file.LinkOption.NOFOLLOW_LINKS), "no partial file is left");
        assertFalse(Files.exists(dir.resolve(Checkpoint.modelFile(2))));
        Checkpoint.State kept = checkpoint.state().orElseThrow();
        assertEquals(1, kept.epochsDone(), "the previous checkpoint is intact");
        assertEquals(1, checkpoint.network(kept).getEpochCount(), "and its network still loads");

        // with space again the fold resumes after epoch 1 and finishes
        List<EpochMetrics> resumed = new ArrayList<>();
        FoldResult result = new CnnTrainer(config).trainFold(train, null, 0, dir, new TrainingListener() {
            @Override
            public void onEpoch(int fold, EpochMetrics m) {
                resumed.add(m);
            }
        });
        assertEquals(List.of(2), resumed.stream().map(EpochMetrics::epoch).toList());
        assertEquals(2, result.epochs().size());
        assertEquals(2, checkpoint.state().orElseThrow().epochsDone());
    }
}
