package dev.cnnlab.training.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNBatchNormHelper;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.layers.normalization.BatchNormalizationHelper;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The faster helper computes what DL4J's oneDNN helper computes, in every layer of a real network. */
class FastBatchNormHelperTest {
    static double relativeDifference(INDArray a, INDArray b) {
        return a.sub(b).norm2Number().doubleValue() / b.norm2Number().doubleValue();
    }

    static List<BatchNormalizationHelper> helpers(ComputationGraph net) {
        return List.of(net.getLayers()).stream()
                .filter(l -> l instanceof BatchNormalization)
                .map(l -> (BatchNormalizationHelper) l.getHelper()).toList();
    }

    @Test
    void batchStatisticsMatchDl4jsVarianceWhereTheMeanIsLarge() {
        // 4 channels of 8x6x6 values, mean about 3.5 standard deviations
        INDArray x = Nd4j.rand(DataType.FLOAT, 8, 4, 6, 6).muli(3).addi(1.5);
        INDArray gamma = Nd4j.ones(DataType.FLOAT, 4);
        INDArray beta = Nd4j.zeros(DataType.FLOAT, 4);
        LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();
        FastBatchNormHelper fast = new FastBatchNormHelper();
        MKLDNNBatchNormHelper reference = new MKLDNNBatchNormHelper(DataType.FLOAT);
        INDArray fastOut = fast.preOutput(x, true, null, gamma, beta, null, null, 0.9, 1e-5, CNN2DFormat.NCHW, ws);
        INDArray refOut = reference.preOutput(x, true, null, gamma, beta, null, null, 0.9, 1e-5, CNN2DFormat.NCHW, ws);
        assertEquals(reference.getMeanCache(DataType.FLOAT), fast.getMeanCache(DataType.FLOAT));
        assertTrue(relativeDifference(fast.getVarCache(DataType.FLOAT), reference.getVarCache(DataType.FLOAT)) < 1e-4,
                fast.getVarCache(DataType.FLOAT) + " vs " + reference.getVarCache(DataType.FLOAT));
        assertTrue(relativeDifference(fastOut, refOut) < 1e-4);
    }

    @Test
    void aConstantChannelHasVarianceZeroNotBelow() {
        INDArray x = Nd4j.valueArrayOf(new long[] {16, 2, 5, 5}, 7.3f);
        FastBatchNormHelper fast = new FastBatchNormHelper();
        INDArray out = fast.preOutput(x, true, null, Nd4j.ones(DataType.FLOAT, 2), Nd4j.zeros(DataType.FLOAT, 2),
                null, null, 0.9, 1e-5, CNN2DFormat.NCHW, LayerWorkspaceMgr.noWorkspaces());
        assertEquals(0.0, fast.getVarCache(DataType.FLOAT).minNumber().doubleValue());
        // x - mean is 0 up to the mean's float rounding, divided by sqrt(eps)
        assertEquals(0.0, out.amaxNumber().doubleValue(), 0.05);
    }

    /**
     * Backpropagation through resnet20's 21 batch-norm layers magnifies float rounding: adding 1e-5 noise
     * to the input moves the stem's gradients by about 0.15%, and the two helpers' variances differ by
     * 1e-6 to 2e-5 relative, which moves them by about 0.6%. The bounds below are loose enough for that
     * and tight enough for a real mistake (a wrong axis, a stale statistic, gamma and beta swapped),
     * which moves them by order 1.
     */
    @Test
    void resnet20TrainsAsWithDl4jsHelper() {
        Nd4j.getRandom().setSeed(42);
        ComputationGraph fast = NetworkBuilder.build(Architectures.get("resnet20"), 7);
        ComputationGraph reference = fast.clone(); // a clone's layers pick DL4J's helpers again
        assertEquals(21, helpers(fast).size());
        assertTrue(helpers(fast).stream().allMatch(h -> h instanceof FastBatchNormHelper), helpers(fast).toString());
        assertTrue(helpers(reference).stream().allMatch(h -> h instanceof MKLDNNBatchNormHelper));

        INDArray x = Nd4j.rand(DataType.FLOAT, 16, 3, 32, 32).subi(0.5).muli(4);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 16, 10);
        for (int i = 0; i < 16; i++) {
            y.putScalar(i, i % 10, 1);
        }
        assertTrue(relativeDifference(fast.outputSingle(true, x), reference.outputSingle(true, x)) < 1e-4);
        for (ComputationGraph net : List.of(fast, reference)) {
            net.setInputs(x);
            net.setLabels(y);
            net.computeGradientAndScore();
        }
        assertEquals(reference.score(), fast.score(), 1e-5);
        Map<String, INDArray> expected = reference.gradient().gradientForVariable();
        Map<String, INDArray> actual = fast.gradient().gradientForVariable();
        assertTrue(relativeDifference(actual.get("output_W"), expected.get("output_W")) < 1e-4, "the top layer's gradient");
        double gradients = relativeDifference(fast.gradient().gradient(), reference.gradient().gradient());
        assertTrue(gradients < 0.05, "all gradients differ by " + gradients);
        for (int step = 0; step < 3; step++) {
            fast.fit(new INDArray[] {x}, new INDArray[] {y});
            reference.fit(new INDArray[] {x}, new INDArray[] {y});
        }
        // the parameters include every layer's running mean and variance
        double params = relativeDifference(fast.params(), reference.params());
        assertTrue(params < 0.02, "parameters after 3 steps differ by " + params);
        assertEquals(reference.score(), fast.score(), 0.02 * reference.score(), "loss after 3 steps");
        // inference normalizes with those running statistics
        double inference = relativeDifference(fast.outputSingle(false, x), reference.outputSingle(false, x));
        assertTrue(inference < 0.02, "inference outputs differ by " + inference);
    }
}
