package dev.cnnlab.training.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnlab.training.arch.Architectures;
import dev.cnnlab.training.arch.FastBatchNormHelper;
import dev.cnnlab.training.arch.NetworkBuilder;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A worker that resumes a fold before it has built any network still trains with oneDNN and the fast batch norm. */
class CheckpointOneDnnTest {
    private static final String HELPERS_DISABLE = "org.eclipse.deeplearning4j.helpers.disable";

    @Test
    void restoredNetworkUsesOneDnnHelpers(@TempDir Path dir) {
        ComputationGraph net = NetworkBuilder.build(Architectures.get("resnet20"), 1);
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
            assertEquals(21, convs);
            assertEquals(21, List.of(restored.getLayers()).stream().filter(l -> l instanceof BatchNormalization
                    && l.getHelper() instanceof FastBatchNormHelper).count(), "batch-norm layers with the fast helper");
        } finally {
            NetworkBuilder.enableHelpers();
        }
    }
}
