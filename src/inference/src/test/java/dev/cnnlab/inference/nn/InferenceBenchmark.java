package dev.cnnlab.inference.nn;

import dev.cnnlab.inference.format.ModelArchive;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Manual benchmark (not a unit test): batch-1 latency and batch-64 throughput of the pure-Java
 * engine on the keras-cifar10 architecture with random weights. Run with
 * {@code src/inference/bench.sh} or {@code java -cp <test classpath> dev.cnnlab.inference.nn.InferenceBenchmark}.
 */
public final class InferenceBenchmark {
    private InferenceBenchmark() {
    }

    /** The keras-cifar10 graph (6 same-padded 3x3 convs, 3 max pools, dense 1024, dense 10). */
    static ModelArchive kerasCifar10() {
        TestNets t = new TestNets(42, 3, 32, 32);
        int[] filters = {32, 32, 64, 64, 128, 128};
        String prev = "input";
        int cin = 3;
        for (int i = 0; i < filters.length; i++) {
            t.conv("conv" + i, prev, cin, filters[i], 3, 1, 1, 1, 1, 1).op("relu" + i, "relu", "conv" + i);
            prev = "relu" + i;
            cin = filters[i];
            if (i % 2 == 1) {
                t.node("pool" + i, "maxpool", List.of(prev), Map.of("kernel", List.of(2, 2)));
                prev = "pool" + i;
            }
        }
        return t.op("flatten", "flatten", prev).dense("dense", "flatten", 128 * 4 * 4, 1024)
                .op("relu", "relu", "dense").dense("out", "relu", 1024, 10)
                .op("softmax", "softmax", "out").archive(10);
    }

    /**
     * Runs the benchmark and prints the results.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        CnnModel model = CnnModel.of(kerasCifar10());
        System.out.printf("keras-cifar10: %.1f M MACs per image, %d cores%n",
                model.macsPerImage() / 1e6, Runtime.getRuntime().availableProcessors());
        float[] x = CnnModelTest.randomInput(1, model.inputLength());
        float[] out = new float[10];
        for (int i = 0; i < 300; i++) {
            model.predict(x, out);
        }
        int n = 300;
        long[] times = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            model.predict(x, out);
            times[i] = System.nanoTime() - t0;
        }
        Arrays.sort(times);
        System.out.printf("batch 1: median %.2f ms, p90 %.2f ms, min %.2f ms (%.1f GMAC/s)%n",
                times[n / 2] / 1e6, times[n * 9 / 10] / 1e6, times[0] / 1e6,
                model.macsPerImage() / (double) times[n / 2]);
        float[][] batch = new float[64][];
        for (int i = 0; i < batch.length; i++) {
            batch[i] = CnnModelTest.randomInput(i, model.inputLength());
        }
        for (int i = 0; i < 5; i++) {
            model.predictBatch(batch);
        }
        int rounds = 20;
        long t0 = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            model.predictBatch(batch);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("batch 64: %.0f images/s (%.1f ms per batch)%n",
                rounds * 64 / secs, secs * 1000 / rounds);
    }
}
