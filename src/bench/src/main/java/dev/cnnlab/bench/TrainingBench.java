package dev.cnnlab.bench;

import dev.cnnlab.inference.nn.CnnModel;
import dev.cnnlab.training.arch.NetworkBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training throughput of cnnlab's DL4J networks, measured as the peer measures PyTorch: 4,096 random
 * images and labels pre-built in memory, 5 warm-up steps, then {@code fit} steps in clean windows, with the
 * optimizer the peer uses ({@link Networks#dl4j}). Rows: {@code images_per_sec} and {@code rss_peak} (VmHWM,
 * reset per phase) per architecture and batch size. Networks with batch normalization are measured a second
 * time as system {@code dl4j-stock-batchnorm}: a clone, whose layers use DL4J's own batch-norm helper instead of
 * {@link dev.cnnlab.training.arch.FastBatchNormHelper}. Architectures: {@code bench.archs} (default
 * keras-cifar10,resnet20,airbench94); batch sizes: {@code bench.batches} (default
 * {@link BenchConfig#trainingBatches}).
 */
public final class TrainingBench {
    private static final int IMAGES = 4096;
    private static final int WARM_UP_STEPS = 5;
    private static final String SYSTEM = "cnnlab-dl4j";
    /** Not a cnnlab system, so the report shows cnnlab's batch-norm helper as a ratio against it. */
    private static final String STOCK_BATCH_NORM = "dl4j-stock-batchnorm";

    private TrainingBench() {
    }

    /**
     * Runs the part and writes {@code training-<rep>.json}.
     *
     * @param args ignored; settings are system properties (see {@link BenchConfig})
     * @throws Exception if a network fails to train or the rows cannot be written
     */
    public static void main(String[] args) throws Exception {
        NetworkBuilder.enableHelpers();
        BenchConfig config = BenchConfig.fromSystemProperties();
        CleanWindows harness = CleanWindows.of(config);
        List<Row> rows = new ArrayList<>();
        for (String arch : BenchConfig.architectures("keras-cifar10,resnet20,airbench94")) {
            for (int batch : BenchConfig.trainingBatches(arch)) {
                ComputationGraph net = Networks.dl4j(arch);
                CnnModel exported = Networks.pureJava(net, arch);
                long macs = exported.macsPerImage();
                DataSet[] batches = randomBatches(batch, exported.outputLength());
                String caseName = arch + " batch " + batch;
                rows.addAll(measure(harness, config, net, batches, caseName, SYSTEM, macs));
                if (hasBatchNorm(net)) {
                    // the same network with DL4J's own batch-norm helper, as a clone's layers get it
                    rows.addAll(measure(harness, config, net.clone(), batches, caseName, STOCK_BATCH_NORM, macs));
                }
            }
        }
        System.err.println("wrote " + Row.write(config.out(), "training", config.repetition(), rows));
    }

    private static List<Row> measure(CleanWindows harness, BenchConfig config, ComputationGraph net, DataSet[] batches,
                                     String caseName, String system, long macs) throws Exception {
        for (int i = 0; i < WARM_UP_STEPS; i++) {
            net.fit(batches[i % batches.length]);
        }
        System.gc(); // frees the previous phase's off-heap arrays before the peak is reset
        ProcStats.resetPeakRss();
        CleanWindows.Result r = harness.run(i -> net.fit(batches[i % batches.length]), batches[0].numExamples());
        double rss = ProcStats.peakRssMiB();
        List<Row> rows = new ArrayList<>();
        rows.add(config.row("training", caseName, system, "images_per_sec", "img/s", true, r.itemsPerSecond(), r.clean()));
        if (Double.isFinite(rss)) {
            rows.add(config.row("training", caseName, system, "rss_peak", "MiB", false, rss, null));
        }
        System.err.printf("training %s %s: %.1f img/s, %.1f GFLOP/s (6 x %.2f M MACs), peak RSS %.0f MiB,"
                + " %d clean / %d disturbed windows%n", caseName, system, r.itemsPerSecond(),
                r.itemsPerSecond() * 6 * macs / 1e9, macs / 1e6, rss, r.windowsClean(), r.windowsRejected());
        return rows;
    }

    private static boolean hasBatchNorm(ComputationGraph net) {
        return List.of(net.getLayers()).stream().anyMatch(l -> l instanceof BatchNormalization);
    }

    /** Returns {@value #IMAGES} / batch batches of uniform [0, 1) images with random one-hot labels. */
    private static DataSet[] randomBatches(int batch, int classes) {
        Random rng = new Random(Networks.SEED);
        DataSet[] out = new DataSet[IMAGES / batch];
        for (int i = 0; i < out.length; i++) {
            INDArray x = Nd4j.rand(new int[] {batch, 3, 32, 32});
            INDArray y = Nd4j.zeros(batch, classes);
            for (int j = 0; j < batch; j++) {
                y.putScalar(j, rng.nextInt(classes), 1f);
            }
            out[i] = new DataSet(x, y);
        }
        return out;
    }
}
