package dev.cnnlab.bench;

import dev.cnnlab.training.data.Augmentation;
import dev.cnnlab.training.data.BatchIterator;
import dev.cnnlab.training.data.ImageDataset;
import dev.cnnlab.training.data.ImageFolderReader;
import dev.cnnlab.training.data.Normalization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The training data pipeline alone, through the real training classes, in images/s:
 * <ul>
 *   <li>JPEG decode of the CIFAR-10 folder into 32x32 CHW bytes ({@link ImageFolderReader}, all cores;
 *       done once per data set, then cached);</li>
 *   <li>crop-flip augmentation, normalization and batching into 64-image NCHW float batches
 *       ({@link BatchIterator}, on the training thread, every epoch).</li>
 * </ul>
 * The folder is {@code bench.dataset}; without it the part writes no rows and says so.
 */
public final class PipelineBench {
    private static final int DECODE_PER_CLASS = 50;
    private static final int BATCH = 64;
    private static final String SYSTEM = "cnnlab-dl4j";
    /** The case of the per-epoch part (augment, normalize, batch); the report compares it with training. */
    static final String BATCH_CASE = "crop-flip + normalize + batch " + BATCH + " (BatchIterator, 1 thread)";

    private PipelineBench() {
    }

    /**
     * Runs the part and writes {@code pipeline-<rep>.json}.
     *
     * @param args ignored; settings are system properties (see {@link BenchConfig})
     * @throws Exception if the images cannot be read or the rows cannot be written
     */
    public static void main(String[] args) throws Exception {
        BenchConfig config = BenchConfig.fromSystemProperties();
        Path root = Path.of(System.getProperty("bench.dataset", "../shared/datasets/cifar10/train"));
        if (!Files.isDirectory(root)) {
            System.err.println("pipeline: no image folder at " + root + " (set bench.dataset); skipped");
            return;
        }
        CleanWindows harness = CleanWindows.of(config);
        int classes = ImageFolderReader.read(root, 1).numClasses();
        CleanWindows.Work decodeWork = i -> ImageFolderReader.read(root, DECODE_PER_CLASS);
        CleanWindows.warmUp(decodeWork, 2, 1);
        CleanWindows.Result decode = harness.run(decodeWork, DECODE_PER_CLASS * classes);
        String decodeCase = "JPEG decode to 32x32 (ImageFolderReader, " + Runtime.getRuntime().availableProcessors()
                + " threads)";
        report(decodeCase, decode);

        ImageDataset read = ImageFolderReader.read(root, config.quick() ? 100 : 500);
        // Whole batches only, so every iteration is exactly BATCH images.
        ImageDataset data = read.select(IntStream.range(0, read.size() / BATCH * BATCH).toArray());
        BatchIterator it = new BatchIterator(data, BATCH, Normalization.compute(data), Augmentation.CROP_FLIP, true,
                Networks.SEED);
        CleanWindows.Work batchWork = i -> {
            if (!it.hasNext()) {
                it.setEpoch(it.epoch() + 1);
            }
            it.next();
        };
        CleanWindows.warmUp(batchWork, 10, 1);
        CleanWindows.Result batches = harness.run(batchWork, BATCH);
        report(BATCH_CASE, batches);

        List<Row> rows = List.of(
                config.row("pipeline", decodeCase, SYSTEM, "images_per_sec", "img/s", true, decode.itemsPerSecond(),
                        decode.clean()),
                config.row("pipeline", BATCH_CASE, SYSTEM, "images_per_sec", "img/s", true, batches.itemsPerSecond(),
                        batches.clean()));
        System.err.println("wrote " + Row.write(config.out(), "pipeline", config.repetition(), rows));
    }

    private static void report(String caseName, CleanWindows.Result r) {
        System.err.printf("pipeline %s: %.0f img/s (%s)%n", caseName, r.itemsPerSecond(),
                r.clean() ? "clean" : "disturbed");
    }
}
