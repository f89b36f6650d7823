package dev.cnnlab.training.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnlab.inference.format.Dtype;
import dev.cnnlab.inference.format.GraphNode;
import dev.cnnlab.inference.format.ModelArchive;
import dev.cnnlab.inference.format.ModelFile;
import dev.cnnlab.inference.nn.CnnModel;
import dev.cnnlab.training.arch.Architectures;
import dev.cnnlab.training.arch.NetworkBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** DL4J and the pure-Java engine agree on every built-in architecture after export. */
class ModelExporterTest {
    private static final Logger LOG = Logger.getLogger(ModelExporterTest.class.getName());
    static final List<String> LABELS = List.of("airplane", "automobile", "bird", "cat", "deer",
            "dog", "frog", "horse", "ship", "truck");

    static ExportInfo info(String arch) {
        return new ExportInfo(arch + "-test", arch, new float[] {0.49f, 0.48f, 0.45f},
                new float[] {0.25f, 0.24f, 0.26f}, LABELS, Map.of("runId", "test"));
    }

    /** Random network after two training steps, so batch-norm statistics are not 0 and 1. */
    static ComputationGraph trainedABit(String arch) {
        ComputationGraph net = NetworkBuilder.build(Architectures.get(arch), 11);
        INDArray x = Nd4j.rand(new int[] {8, 3, 32, 32}, 5L).subi(0.5).muli(3);
        INDArray y = Nd4j.zeros(8, 10);
        for (int i = 0; i < 8; i++) {
            y.putScalar(i, (i * 3) % 10, 1);
        }
        DataSet batch = new DataSet(x, y);
        net.fit(batch);
        net.fit(batch);
        return net;
    }

    @ParameterizedTest
    @ValueSource(strings = {"keras-cifar10", "lenet5", "vgg16-bn", "resnet20", "airbench94"})
    void pureJavaOutputMatchesDl4j(String arch, @TempDir Path dir) throws IOException {
        ComputationGraph net = trainedABit(arch);
        Path file = dir.resolve("model.safetensors");
        String sha = ModelExporter.write(net, info(arch), file, Dtype.F32);
        CnnModel model = CnnModel.load(file, sha);
        assertEquals(arch, model.metadata().architecture());
        assertEquals(LABELS, model.metadata().labels());

        INDArray x = Nd4j.rand(new int[] {4, 3, 32, 32}, 99L).subi(0.5).muli(4);
        INDArray expected = net.outputSingle(false, x);
        for (int i = 0; i < 4; i++) {
            INDArray image = x.get(NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.all());
            float[] chw = Nd4j.toFlattened('c', image).toFloatVector();
            float[] actual = model.predict(chw);
            assertArrayEquals(expected.getRow(i).toFloatVector(), actual, 1e-4f,
                    arch + " image " + i);
        }
    }

    static final double F16_PROB_TOLERANCE = 5e-3;
    static final double F16_LOGIT_TOLERANCE = 0.1;

    /**
     * F16 weights: every kernel and dense weight moves by up to 2^-11 (4.9e-4) of itself, and the
     * errors add up over 8 to 20 layers, so outputs no longer match to 1e-4. Measured on 32 fixed
     * inputs: the largest probability error (1.5e-3, lenet5) and logit error, the spread of
     * {@code log q - log p} over the classes, which a shift of all logits leaves at 0 (3.9e-2,
     * resnet20); the tolerances are about 3x those. The top-1 class agrees on all 32 inputs:
     * DL4J's two best log-probabilities are always further apart (at least 1.4e-2) than the logit
     * error of the same network, so no swap is possible.
     */
    @ParameterizedTest
    @ValueSource(strings = {"keras-cifar10", "lenet5", "vgg16-bn", "resnet20", "airbench94"})
    void f16ExportMatchesDl4jWithinHalfPrecision(String arch, @TempDir Path dir) throws IOException {
        ComputationGraph net = trainedABit(arch);
        Path file = dir.resolve("model.safetensors");
        String sha = ModelExporter.write(net, info(arch), file, Dtype.F16);
        ModelArchive f32 = ModelExporter.export(net, info(arch));
        long f32Bytes = ModelFile.toBytes(f32.metadata(), f32.tensors().values()).length;
        assertTrue(Files.size(file) < 0.55 * f32Bytes, Files.size(file) + " vs " + f32Bytes);
        CnnModel model = CnnModel.load(file, sha);

        int n = 32;
        INDArray x = Nd4j.rand(new int[] {n, 3, 32, 32}, 99L).subi(0.5).muli(4);
        float[][] expected = net.outputSingle(false, x).toFloatMatrix();
        double maxProbError = 0;
        double maxLogitError = 0;
        int agree = 0;
        double minMargin = Double.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            float[] chw = Nd4j.toFlattened('c', x.get(NDArrayIndex.point(i), NDArrayIndex.all(),
                    NDArrayIndex.all(), NDArrayIndex.all())).toFloatVector();
            float[] actual = model.predict(chw);
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < actual.length; c++) {
                maxProbError = Math.max(maxProbError, Math.abs(actual[c] - expected[i][c]));
                double shift = Math.log(actual[c]) - Math.log(expected[i][c]);
                lo = Math.min(lo, shift);
                hi = Math.max(hi, shift);
            }
            maxLogitError = Math.max(maxLogitError, hi - lo);
            agree += argMax(expected[i]) == argMax(actual) ? 1 : 0;
            float[] sorted = expected[i].clone();
            java.util.Arrays.sort(sorted);
            minMargin = Math.min(minMargin, Math.log(sorted[sorted.length - 1] / sorted[sorted.length - 2]));
        }
        LOG.info(String.format("%s F16: max probability error %.2e, max logit error %.2e, top-1 "
                + "agrees on %d of %d (smallest DL4J log margin %.2e), %d vs %d bytes", arch, maxProbError,
                maxLogitError, agree, n, minMargin, Files.size(file), f32Bytes));
        assertEquals(n, agree, arch + ": top-1 agreement");
        assertTrue(maxProbError < F16_PROB_TOLERANCE, arch + ": " + maxProbError);
        assertTrue(maxLogitError < F16_LOGIT_TOLERANCE, arch + ": " + maxLogitError);
    }

    static int argMax(float[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            best = p[i] > p[best] ? i : best;
        }
        return best;
    }

    /** Layer options the built-ins do not use: plain variance, locked gamma/beta, Same pooling. */
    static ComputationGraph unusualLayers() {
        var conf = new NeuralNetConfiguration.Builder().seed(3).graphBuilder().addInputs("input")
                .setInputTypes(InputType.convolutional(32, 32, 3))
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).stride(2, 2).nOut(8)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.TANH).build(),
                        "input")
                .addLayer("bn", new BatchNormalization.Builder().useLogStd(false).build(), "conv")
                .addLayer("avg", new SubsamplingLayer.Builder(PoolingType.AVG).kernelSize(3, 3)
                        .stride(2, 2).convolutionMode(ConvolutionMode.Same).build(), "bn")
                .addLayer("max", new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(3, 3)
                        .stride(1, 1).padding(1, 1).build(), "avg")
                .addLayer("lrelu", new ActivationLayer(Activation.LEAKYRELU), "max")
                .addLayer("bn2", new BatchNormalization.Builder().lockGammaBeta(true).build(),
                        "lrelu")
                .addLayer("dense", new DenseLayer.Builder().nOut(16)
                        .activation(Activation.SIGMOID).build(), "bn2")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nOut(10).activation(Activation.SOFTMAX).build(), "dense")
                .setOutputs("out").build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        INDArray x = Nd4j.rand(new int[] {8, 3, 32, 32}, 5L).subi(0.5).muli(3);
        INDArray y = Nd4j.zeros(8, 10);
        for (int i = 0; i < 8; i++) {
            y.putScalar(i, i % 10, 1);
        }
        net.fit(new DataSet(x, y));
        return net;
    }

    @Test
    void unusualLayerOptionsMatchDl4j() {
        ComputationGraph net = unusualLayers();
        CnnModel model = CnnModel.of(ModelExporter.export(net, info("unusual")));
        INDArray x = Nd4j.rand(new int[] {3, 3, 32, 32}, 7L).subi(0.5).muli(4);
        INDArray expected = net.outputSingle(false, x);
        for (int i = 0; i < 3; i++) {
            float[] chw = Nd4j.toFlattened('c', x.get(NDArrayIndex.point(i), NDArrayIndex.all(),
                    NDArrayIndex.all(), NDArrayIndex.all())).toFloatVector();
            assertArrayEquals(expected.getRow(i).toFloatVector(), model.predict(chw), 1e-4f,
                    "image " + i);
        }
    }

    @Test
    void exportDropsDropoutAndMakesSamePaddingExplicit() {
        List<GraphNode> graph = ModelExporter.export(trainedABit("keras-cifar10"),
                info("keras-cifar10")).metadata().graph();
        assertTrue(graph.stream().noneMatch(n -> n.op().contains("dropout")));
        GraphNode conv = graph.get(0);
        assertEquals("conv2d", conv.op());
        assertEquals(List.of(1, 1, 1, 1), conv.params().get("padding"));
        assertEquals("softmax", graph.get(graph.size() - 1).op());
        assertEquals(1, graph.stream().filter(n -> n.op().equals("flatten")).count());
    }

    @Test
    void refusesLayersTheFormatLacksNamingThem() {
        var conf = new NeuralNetConfiguration.Builder().graphBuilder().addInputs("input")
                .setInputTypes(InputType.convolutional(32, 32, 3))
                .addLayer("lrn", new LocalResponseNormalization.Builder().build(), "input")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nOut(10).activation(Activation.SOFTMAX).build(), "lrn")
                .setOutputs("out").build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        var e = assertThrows(IllegalArgumentException.class,
                () -> ModelExporter.export(net, info("lrn")));
        assertTrue(e.getMessage().contains("'lrn'"), e.getMessage());
    }
}
