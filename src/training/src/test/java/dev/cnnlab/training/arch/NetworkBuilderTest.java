package dev.cnnlab.training.arch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNSubsamplingHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

class NetworkBuilderTest {

    @ParameterizedTest
    @ValueSource(strings = {"keras-cifar10", "lenet5", "vgg16-bn", "resnet20", "airbench94"})
    void builtInBuildsTrainsOneStepAndOutputsTenClasses(String name) {
        ArchitectureSpec spec = Architectures.get(name);
        assertTrue(spec.paper() != null && !spec.paper().isBlank(), "cites its paper");
        ComputationGraph net = NetworkBuilder.build(spec, 7);
        INDArray x = Nd4j.rand(new int[] {2, 3, 32, 32}, 123L).subi(0.5);
        INDArray y = Nd4j.zeros(2, 10);
        y.putScalar(0, 3, 1);
        y.putScalar(1, 8, 1);
        INDArray before = net.params().dup();
        net.fit(new DataSet(x, y));
        assertTrue(Double.isFinite(net.score()), "finite loss");
        assertFalse(before.equals(net.params()), "one step changes the weights");
        INDArray out = net.outputSingle(false, x);
        assertArrayEquals(new long[] {2, 10}, out.shape());
        assertEquals(1.0, out.getRow(0).sumNumber().doubleValue(), 1e-4, "softmax rows sum to 1");
    }

    @Test
    void kerasCifar10HasTheKerasParameterCount() {
        assertEquals(2_395_434, NetworkBuilder.build(Architectures.get("keras-cifar10"), 1).numParams());
    }

    @Test
    void oneDnnHelpersAreActiveForConvolutionAndPooling() {
        ComputationGraph net = NetworkBuilder.build(Architectures.get("keras-cifar10"), 1);
        net.outputSingle(false, Nd4j.rand(new int[] {1, 3, 32, 32}, 123L));
        int convs = 0;
        int pools = 0;
        for (Layer l : net.getLayers()) {
            if (l instanceof ConvolutionLayer c) {
                assertTrue(c.getHelper() instanceof MKLDNNConvHelper, "conv helper: " + c.getHelper());
                convs++;
            } else if (l instanceof SubsamplingLayer s) {
                assertTrue(s.getHelper() instanceof MKLDNNSubsamplingHelper, "pool helper: " + s.getHelper());
                pools++;
            }
        }
        assertEquals(6, convs);
        assertEquals(3, pools);
    }

    @Test
    void sameSeedGivesSameWeights() {
        ArchitectureSpec spec = Architectures.get("lenet5");
        assertEquals(NetworkBuilder.build(spec, 5).params(), NetworkBuilder.build(spec, 5).params());
    }

    @Test
    void userFolderAddsArchitectures(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("tiny.json"), """
                {"name": "tiny", "description": "test", "paper": "none",
                 "layers": [{"type": "conv", "filters": 4, "kernel": 3, "activation": "relu"},
                            {"type": "globalavgpool"},
                            {"type": "output", "units": 10}]}""");
        String old = System.getProperty("cnnlab.architectures");
        System.setProperty("cnnlab.architectures", dir.toString());
        try {
            assertTrue(Architectures.names().containsAll(java.util.List.of("keras-cifar10", "tiny")));
            assertEquals(4 * 27 + 4 + 4 * 10 + 10, NetworkBuilder.build(Architectures.get("tiny"), 1).numParams());
        } finally {
            if (old == null) {
                System.clearProperty("cnnlab.architectures");
            } else {
                System.setProperty("cnnlab.architectures", old);
            }
        }
    }

    @Test
    void rejectsBadSpecsNamingTheValue() {
        var e = assertThrows(IllegalArgumentException.class, () -> Architectures.get("nope"));
        assertTrue(e.getMessage().contains("nope"));
        var spec = ArchitectureSpec.fromJson("""
                {"name": "bad", "layers": [{"type": "conv", "filters": 4, "kernel": 3, "padding": "full"},
                                           {"type": "output", "units": 10}]}""");
        e = assertThrows(IllegalArgumentException.class, () -> NetworkBuilder.build(spec, 1));
        assertTrue(e.getMessage().contains("full"), e.getMessage());
        var wrongInput = ArchitectureSpec.fromJson("""
                {"name": "bad2", "layers": [{"type": "add", "inputs": ["input", "ghost"]},
                                            {"type": "output", "units": 10}]}""");
        e = assertThrows(IllegalArgumentException.class, () -> NetworkBuilder.build(wrongInput, 1));
        assertTrue(e.getMessage().contains("ghost"), e.getMessage());
    }

    @Test
    void specRoundTripsThroughJson() {
        ArchitectureSpec spec = Architectures.get("resnet20");
        assertEquals(spec, ArchitectureSpec.fromJson(spec.toJson()));
    }
}
