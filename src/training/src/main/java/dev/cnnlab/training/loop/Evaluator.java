package dev.cnnlab.training.loop;

import dev.cnnlab.training.data.Augmentation;
import dev.cnnlab.training.data.BatchIterator;
import dev.cnnlab.training.data.ImageDataset;
import dev.cnnlab.training.data.Normalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** Evaluates a network on an image set (inference mode: no dropout, batch-norm running statistics). */
public final class Evaluator {
    private Evaluator() {
    }

    /**
     * Evaluates {@code net} on every image of {@code data}.
     *
     * @param net       the network
     * @param data      the images
     * @param norm      the normalization the network was trained with
     * @param batchSize images per forward pass
     * @return accuracy, top-5 accuracy, loss, per-class metrics and confusion matrix
     */
    public static EvaluationResult evaluate(ComputationGraph net, ImageDataset data, Normalization norm,
                                            int batchSize) {
        int k = data.numClasses();
        int[][] confusion = new int[k][k];
        long top5 = 0;
        double lossSum = 0;
        BatchIterator it = new BatchIterator(data, batchSize, norm, Augmentation.NONE, false, 0);
        int offset = 0;
        while (it.hasNext()) {
            DataSet batch = it.next();
            INDArray out = net.output(false, batch.getFeatures())[0];
            float[][] probs = out.toFloatMatrix();
            if (probs.length > 0 && probs[0].length != k) {
                throw new IllegalArgumentException("network has " + probs[0].length + " outputs for " + k + " classes");
            }
            for (float[] p : probs) {
                int actual = data.label(offset++);
                int best = 0;
                int higher = 0;
                for (int c = 0; c < k; c++) {
                    if (p[c] > p[best]) {
                        best = c;
                    }
                    if (p[c] > p[actual]) {
                        higher++;
                    }
                }
                confusion[actual][best]++;
                if (higher < 5) {
                    top5++;
                }
                lossSum += -Math.log(Math.max(p[actual], 1e-12));
            }
        }
        return EvaluationResult.of(data.classes(), confusion, top5, lossSum);
    }
}
