package dev.cnnlab.training.loop;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnlab.training.arch.Architectures;
import dev.cnnlab.training.arch.NetworkBuilder;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A worker that resumes a fold before it has built any network still trains with oneDNN. */
class CheckpointOneDnnTest {
    private static final String HELPERS_DISABLE = "org.eclipse.deeplearning4j.helpers.disable";

    @Test
    void restoredNetworkUsesOneDnnHelpers(@TempDir Path dir) {
        ComputationGraph net = NetworkBuilder.build(Architectures.get("keras-cifar10"), 1);
        Checkpoint checkpoint = new Checkpoint(dir);
        Checkpoint.State state = new Checkpoint.State(null, 0, 1, List.of(), 1, null, null, 0, 0, "net-1.zip");
        checkpoint.save(net, state);
        System.clearProperty(HELPERS_DISABLE); // as in a fresh process
        try {
            ComputationGraph restored = checkpoint.network(state);
            int convs = 0;
            for (Layer l : restored.getLayers()) {
                if (l instanceof ConvolutionLayer c) {
                    assertTrue(c.getHelper() instanceof MKLDNNConvHelper, "conv helper: " + c.getHelper());
                    convs++;
                }
            }
            assertTrue(convs == 6, "convolutions: " + convs);
        } finally {
            NetworkBuilder.enableHelpers();
        }
    }
}
