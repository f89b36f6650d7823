package dev.cnnlab.training.arch;

import dev.cnnlab.training.data.Augmentation;
import dev.cnnlab.training.data.BatchIterator;
import dev.cnnlab.training.data.ImageDataset;
import dev.cnnlab.training.data.Normalization;
import dev.cnnlab.training.data.TestData;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Training throughput per built-in architecture at batch 64 (not a surefire test: run with
 * {@code -Dtest=ThroughputBenchmark}; {@code -Dcnnlab.benchArchs=a,b} picks architectures).
 */
class ThroughputBenchmark {
    @Test
    void measure() {
        String archs = System.getProperty("cnnlab.benchArchs", String.join(",", Architectures.BUILT_IN));
        ImageDataset d = TestData.random(64, 10, 1);
        for (String name : archs.split(",")) {
            ComputationGraph net = NetworkBuilder.build(Architectures.get(name), 1);
            BatchIterator it = new BatchIterator(d, 64, Normalization.compute(d), Augmentation.NONE, true, 1);
            DataSet warm = it.next();
            net.fit(warm);
            net.fit(warm);
            int batches = name.startsWith("vgg") ? 3 : 8;
            long t0 = System.nanoTime();
            for (int i = 0; i < batches; i++) {
                if (!it.hasNext()) {
                    it.reset();
                }
                net.fit(it.next());
            }
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("BENCH %s train bs64: %.1f img/s (%d params)%n", name, batches * 64 / s, net.numParams());
        }
    }
}
