package dev.cnnlab.inference.format;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Everything a model file says about itself besides the weights.
 *
 * <p>The graph's nodes are in evaluation order; the first reads {@code input}, the last is the
 * output (class probabilities when it is a softmax). Standard provenance keys are {@code runId},
 * {@code dataset}, {@code accuracy}, {@code createdAt} and {@code trainedBy}; others are allowed.
 *
 * @param name a short model name, e.g. {@code keras-cifar10-default}
 * @param architecture the architecture name, e.g. {@code keras-cifar10}
 * @param inputShape {@code [channels, height, width]}
 * @param mean per-channel mean subtracted after scaling pixels to [0, 1]
 * @param std per-channel standard deviation divided by after subtracting the mean
 * @param labels the class labels, index = output position
 * @param graph the network's nodes in evaluation order
 * @param provenance where the model comes from (string keys and values)
 * @param testTime what the engine runs besides the plain forward pass ({@code null} means none)
 */
public record ModelMetadata(
        String name,
        String architecture,
        int[] inputShape,
        float[] mean,
        float[] std,
        List<String> labels,
        List<GraphNode> graph,
        Map<String, String> provenance,
        TestTimeAugmentation testTime) {

    /** Copies collections and checks that shapes agree. */
    public ModelMetadata {
        if (name == null || name.isBlank()) {
            throw new ModelFormatException("model name must not be empty: '" + name + "'");
        }
        if (architecture == null) {
            architecture = "";
        }
        if (inputShape == null || inputShape.length != 3) {
            throw new ModelFormatException("input shape must be [channels, height, width], got "
                    + Arrays.toString(inputShape));
        }
        for (int d : inputShape) {
            if (d <= 0 || d > 4096) {
                throw new ModelFormatException("input shape dimension out of range: "
                        + Arrays.toString(inputShape));
            }
        }
        int channels = inputShape[0];
        if (mean == null || mean.length != channels || std == null || std.length != channels) {
            throw new ModelFormatException("normalization needs " + channels
                    + " mean and std values, got mean " + Arrays.toString(mean) + " std "
                    + Arrays.toString(std));
        }
        for (float s : std) {
            if (!(s > 0) || Float.isInfinite(s)) {
                throw new ModelFormatException("normalization std must be positive, got "
                        + Arrays.toString(std));
            }
        }
        if (labels == null || labels.isEmpty()) {
            throw new ModelFormatException("model has no class labels");
        }
        if (graph == null || graph.isEmpty()) {
            throw new ModelFormatException("model graph has no nodes");
        }
        inputShape = inputShape.clone();
        mean = mean.clone();
        std = std.clone();
        labels = List.copyOf(labels);
        graph = List.copyOf(graph);
        provenance = provenance == null ? Map.of() : Map.copyOf(provenance);
        testTime = testTime == null ? TestTimeAugmentation.NONE : testTime;
        if (testTime == TestTimeAugmentation.HFLIP_TRANSLATE && (inputShape[1] < 2 || inputShape[2] < 2)) {
            throw new ModelFormatException("test-time augmentation " + testTime.json()
                    + " reflect-pads the input by 1 pixel, which needs at least 2x2 pixels; the input is "
                    + inputShape[1] + "x" + inputShape[2]);
        }
    }

    /**
     * Metadata without test-time augmentation.
     *
     * @param name a short model name
     * @param architecture the architecture name
     * @param inputShape {@code [channels, height, width]}
     * @param mean per-channel mean
     * @param std per-channel standard deviation
     * @param labels the class labels
     * @param graph the network's nodes in evaluation order
     * @param provenance where the model comes from
     */
    public ModelMetadata(String name, String architecture, int[] inputShape, float[] mean, float[] std,
            List<String> labels, List<GraphNode> graph, Map<String, String> provenance) {
        this(name, architecture, inputShape, mean, std, labels, graph, provenance, TestTimeAugmentation.NONE);
    }

    /**
     * Returns a copy with other provenance and test-time augmentation, everything else kept.
     *
     * @param newProvenance the provenance
     * @param newTestTime the test-time augmentation
     * @return the copy
     */
    public ModelMetadata with(Map<String, String> newProvenance, TestTimeAugmentation newTestTime) {
        return new ModelMetadata(name, architecture, inputShape, mean, std, labels, graph, newProvenance,
                newTestTime);
    }

    /**
     * Returns a copy of the input shape.
     *
     * @return a fresh array
     */
    @Override
    public int[] inputShape() {
        return inputShape.clone();
    }

    /**
     * Returns a copy of the per-channel means.
     *
     * @return a fresh array
     */
    @Override
    public float[] mean() {
        return mean.clone();
    }

    /**
     * Returns a copy of the per-channel standard deviations.
     *
     * @return a fresh array
     */
    @Override
    public float[] std() {
        return std.clone();
    }

    /**
     * Returns the number of input values one image needs: channels * height * width.
     *
     * @return the input length
     */
    public int inputLength() {
        return inputShape[0] * inputShape[1] * inputShape[2];
    }
}
