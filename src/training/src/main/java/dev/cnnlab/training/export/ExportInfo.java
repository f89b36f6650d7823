package dev.cnnlab.training.export;

import java.util.List;
import java.util.Map;

/**
 * What an exported model file says about itself besides the graph and weights.
 *
 * @param name a short model name, e.g. {@code keras-cifar10-run-42}
 * @param architecture the architecture name, e.g. {@code keras-cifar10}
 * @param mean per-channel (R, G, B) mean of pixel / 255 the network was trained with
 * @param std per-channel standard deviation of pixel / 255
 * @param labels class labels, indexing the network's outputs
 * @param provenance run id, data set, accuracy, date and the like (see models/FORMAT.md)
 */
public record ExportInfo(String name, String architecture, float[] mean, float[] std,
        List<String> labels, Map<String, String> provenance) {

    /** Copies the arrays and collections. */
    public ExportInfo {
        mean = mean.clone();
        std = std.clone();
        labels = List.copyOf(labels);
        provenance = Map.copyOf(provenance);
    }
}
