package anchors;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.Trainer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * cnnlab overlay: one training-throughput measurement of an initialized DJL trainer, as {@link DjlBench}
 * measures the CIFAR CNN (random images and labels, warm-up steps, then clean windows). Shared by
 * {@link ResNet20Bench} and {@link Airbench94Bench}.
 */
final class TrainThroughput {
    private TrainThroughput() {}

    /**
     * Measures {@code trainer} at batch size {@code bs}; logs and returns the row (batch, the measurement,
     * peak RSS).
     */
    static Map<String, Object> measure(String name, Trainer trainer, NDManager parent, int bs, int warmUp,
                                       double seconds) throws Exception {
        try (NDManager dm = parent.newSubManager()) {
            int nb = Math.max(1, DjlBench.N_IMAGES / bs);
            NDArray[] xs = new NDArray[nb];
            NDArray[] ys = new NDArray[nb];
            for (int i = 0; i < nb; i++) {
                xs[i] = dm.randomUniform(0f, 1f, new Shape(bs, Net.C, Net.H, Net.W));
                ys[i] = dm.randomInteger(0, Net.CLASSES, new Shape(bs), DataType.INT64);
            }
            for (int i = 0; i < warmUp; i++) {
                DjlBench.step(trainer, xs[i % nb], ys[i % nb], false);
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("batch", bs);
            r.putAll(Measure.run(i -> DjlBench.step(trainer, xs[i % nb], ys[i % nb], false), bs, seconds, warmUp));
            r.put("peak_rss_mib", Proc.peakRssMiB());
            DjlBench.log(name + " train " + Json.write(r));
            return r;
        }
    }
}
