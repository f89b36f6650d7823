package dev.cnnlab.training.loop;

import dev.cnnlab.training.arch.ArchitectureSpec;
import dev.cnnlab.training.data.Normalization;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * A trained network with everything needed to export or serve it.
 *
 * @param network the trained DL4J network (input "input", NCHW 1x3x32x32 normalized floats)
 * @param spec    the architecture it was built from
 * @param labels  class names, indexing the network's outputs
 * @param mean    per-channel (R, G, B) mean of pixel/255 to subtract
 * @param std     per-channel standard deviation of pixel/255 to divide by
 */
public record TrainedModel(ComputationGraph network, ArchitectureSpec spec, List<String> labels, float[] mean,
                           float[] std) {
    /** Copies the arrays and validates their length. */
    public TrainedModel {
        labels = List.copyOf(labels);
        mean = new Normalization(mean, std).mean();
        std = std.clone();
    }

    /** Returns mean and std as a {@link Normalization}. */
    public Normalization normalization() {
        return new Normalization(mean, std);
    }
}
