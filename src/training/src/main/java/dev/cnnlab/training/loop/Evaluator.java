package dev.cnnlab.training.loop;

import dev.cnnlab.inference.nn.CnnModel;
import dev.cnnlab.training.data.Augmentation;
import dev.cnnlab.training.data.BatchIterator;
import dev.cnnlab.training.data.ImageDataset;
import dev.cnnlab.training.data.Normalization;
import java.util.Arrays;
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
        Tally tally = new Tally(data);
        BatchIterator it = new BatchIterator(data, batchSize, norm, Augmentation.NONE, false, 0);
        while (it.hasNext()) {
            DataSet batch = it.next();
            INDArray out = net.output(false, batch.getFeatures())[0];
            for (float[] p : out.toFloatMatrix()) {
                tally.add(p);
            }
        }
        return tally.result();
    }

    /**
     * Evaluates an exported model with the pure-Java engine on every image of {@code data}, normalized
     * with the mean and std stored in the model (the same arithmetic as training-time evaluation).
     *
     * @param model     the exported model; its labels must be the data's classes, in order
     * @param data      the images
     * @param batchSize images per {@link CnnModel#predictBatch} call
     * @return accuracy, top-5 accuracy, loss, per-class metrics and confusion matrix
     * @throws IllegalArgumentException naming both lists if the labels differ from the classes
     */
    public static EvaluationResult evaluate(CnnModel model, ImageDataset data, int batchSize) {
        if (!model.metadata().labels().equals(data.classes())) {
            throw new IllegalArgumentException("the model's labels " + model.metadata().labels()
                    + " differ from the data's classes " + data.classes());
        }
        Normalization norm = new Normalization(model.metadata().mean(), model.metadata().std());
        Tally tally = new Tally(data);
        BatchIterator it = new BatchIterator(data, batchSize, norm, Augmentation.NONE, false, 0);
        int n = ImageDataset.IMAGE_BYTES;
        while (it.hasNext()) {
            float[] features = it.next().getFeatures().data().asFloat();
            float[][] images = new float[features.length / n][];
            for (int i = 0; i < images.length; i++) {
                images[i] = Arrays.copyOfRange(features, i * n, (i + 1) * n);
            }
            for (float[] p : model.predictBatch(images)) {
                tally.add(p);
            }
        }
        return tally.result();
    }

    /** Confusion matrix, top-5 hits and summed cross-entropy over the data's images, in order. */
    private static final class Tally {
        private final ImageDataset data;
        private final int k;
        private final int[][] confusion;
        private long top5;
        private double lossSum;
        private int offset;

        Tally(ImageDataset data) {
            this.data = data;
            this.k = data.numClasses();
            this.confusion = new int[k][k];
        }

        /** Scores the output for the next image. */
        void add(float[] p) {
            if (p.length != k) {
                throw new IllegalArgumentException("network has " + p.length + " outputs for " + k + " classes");
            }
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

        EvaluationResult result() {
            return EvaluationResult.of(data.classes(), confusion, top5, lossSum);
        }
    }
}
