package dev.cnnlab.bench;

import dev.cnnlab.inference.nn.CnnModel;
import dev.cnnlab.training.arch.NetworkBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Inference speed of the pure-Java engine ({@code cnnlab-java}) and of DL4J's {@code output()}
 * ({@code cnnlab-dl4j}) on the same network and weights: the DL4J network is exported with
 * {@code ModelExporter} and loaded by {@link CnnModel}, and their outputs are checked to agree first.
 * Batch 1: latency median, p90 and p99 (ms) over the iterations of clean windows (without any, the
 * "median" is the mean over all windows, as for the peer); batch 64: images/s.
 * Architectures: {@code bench.archs} (default keras-cifar10,resnet20).
 */
public final class InferenceBench {
    private static final int INPUTS = 64;
    private static final int WARM_UP = 20;
    private static final double WARM_UP_SECONDS = 1;
    private static final String JAVA = "cnnlab-java";
    private static final String DL4J = "cnnlab-dl4j";

    private InferenceBench() {
    }

    /**
     * Runs the part and writes {@code inference-<rep>.json}.
     *
     * @param args ignored; settings are system properties (see {@link BenchConfig})
     * @throws Exception if the engines disagree or the rows cannot be written
     */
    public static void main(String[] args) throws Exception {
        NetworkBuilder.enableHelpers();
        System.err.println("inference: pure-Java engine " + CnnModel.engine());
        BenchConfig config = BenchConfig.fromSystemProperties();
        CleanWindows harness = CleanWindows.of(config);
        List<Row> rows = new ArrayList<>();
        for (String arch : BenchConfig.architectures("keras-cifar10,resnet20")) {
            ComputationGraph net = Networks.dl4j(arch);
            CnnModel model = Networks.pureJava(net, arch);
            float[][] images = randomImages(INPUTS, model.inputLength());
            checkAgreement(net, model, images[0]);
            INDArray[] singles = new INDArray[INPUTS];
            for (int i = 0; i < INPUTS; i++) {
                singles[i] = Nd4j.create(images[i], new long[] {1, 3, 32, 32}, 'c');
            }
            INDArray batchNd = Nd4j.create(flatten(images), new long[] {INPUTS, 3, 32, 32}, 'c');
            float[] out = new float[model.outputLength()];
            Map<String, CleanWindows.Work> single = Map.of(
                    JAVA, i -> model.predict(images[i % INPUTS], out),
                    DL4J, i -> net.outputSingle(singles[i % INPUTS]));
            Map<String, CleanWindows.Work> batched = Map.of(
                    JAVA, i -> model.predictBatch(images),
                    DL4J, i -> net.outputSingle(batchNd));
            // Alternate which engine goes first, so slow drift of the machine favours neither.
            List<String> order = config.repetition() % 2 == 1 ? List.of(JAVA, DL4J) : List.of(DL4J, JAVA);
            for (String system : order) {
                rows.addAll(latency(config, harness, arch, system, single.get(system)));
            }
            for (String system : order) {
                rows.add(throughput(config, harness, arch, system, batched.get(system)));
            }
        }
        System.err.println("wrote " + Row.write(config.out(), "inference", config.repetition(), rows));
    }

    private static List<Row> latency(BenchConfig config, CleanWindows harness, String arch, String system,
            CleanWindows.Work work) throws Exception {
        CleanWindows.warmUp(work, WARM_UP, WARM_UP_SECONDS);
        CleanWindows.Result r = harness.run(work, 1);
        String caseName = arch + " batch 1";
        System.err.printf("inference %s %s: median %.3f ms, p90 %.3f ms, p99 %.3f ms (%d iterations, %s)%n",
                caseName, system, r.quantileMs(0.5), r.quantileMs(0.9), r.quantileMs(0.99),
                r.iterationNanos().length, r.clean() ? "clean" : "disturbed");
        // Without a clean window the peer can only give the mean (1 / throughput); so do we, to compare alike.
        double median = r.clean() ? r.quantileMs(0.5) : 1000 / r.itemsPerSecond();
        return List.of(
                config.row("inference", caseName, system, "latency_median", "ms", false, median, r.clean()),
                config.row("inference", caseName, system, "latency_p90", "ms", false, r.quantileMs(0.9), r.clean()),
                config.row("inference", caseName, system, "latency_p99", "ms", false, r.quantileMs(0.99), r.clean()));
    }

    private static Row throughput(BenchConfig config, CleanWindows harness, String arch, String system,
            CleanWindows.Work work) throws Exception {
        CleanWindows.warmUp(work, WARM_UP, WARM_UP_SECONDS);
        CleanWindows.Result r = harness.run(work, INPUTS);
        String caseName = arch + " batch " + INPUTS;
        System.err.printf("inference %s %s: %.1f img/s (%s)%n", caseName, system, r.itemsPerSecond(),
                r.clean() ? "clean" : "disturbed");
        return config.row("inference", caseName, system, "images_per_sec", "img/s", true, r.itemsPerSecond(),
                r.clean());
    }

    /** Fails unless both engines give the same probabilities for one image (they share the weights). */
    private static void checkAgreement(ComputationGraph net, CnnModel model, float[] image) {
        float[] java = model.predict(image);
        float[] dl4j = net.outputSingle(Nd4j.create(image, new long[] {1, 3, 32, 32}, 'c')).toFloatVector();
        double maxDiff = 0;
        for (int i = 0; i < java.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(java[i] - dl4j[i]));
        }
        if (maxDiff > 1e-4) {
            throw new IllegalStateException("pure-Java and DL4J outputs differ by " + maxDiff);
        }
    }

    private static float[][] randomImages(int n, int length) {
        Random rng = new Random(Networks.SEED);
        float[][] out = new float[n][length];
        for (float[] image : out) {
            for (int i = 0; i < length; i++) {
                image[i] = rng.nextFloat();
            }
        }
        return out;
    }

    private static float[] flatten(float[][] images) {
        float[] out = new float[images.length * images[0].length];
        for (int i = 0; i < images.length; i++) {
            System.arraycopy(images[i], 0, out, i * images[0].length, images[i].length);
        }
        return out;
    }
}
