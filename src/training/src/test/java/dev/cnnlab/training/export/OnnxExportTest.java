package dev.cnnlab.training.export;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.cnnlab.inference.format.ModelArchive;
import dev.cnnlab.inference.nn.CnnModel;
import dev.cnnlab.onnx.OnnxExporter;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.logging.Logger;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every built-in architecture's exported graph (and the layer options none of them uses), written
 * as ONNX, runs in ONNX Runtime with the same outputs as {@link CnnModel} and DL4J, to 1e-4.
 */
class OnnxExportTest {
    private static final Logger LOG = Logger.getLogger(OnnxExportTest.class.getName());

    @ParameterizedTest
    @ValueSource(strings = {"keras-cifar10", "lenet5", "vgg16-bn", "resnet20", "airbench94"})
    void builtInArchitectureMatchesInOnnxRuntime(String arch) throws Exception {
        check(arch, ModelExporterTest.trainedABit(arch));
    }

    @Test
    void unusualLayerOptionsMatchInOnnxRuntime() throws Exception {
        check("unusual", ModelExporterTest.unusualLayers());
    }

    private static void check(String arch, ComputationGraph net) throws Exception {
        ModelArchive archive = ModelExporter.export(net, ModelExporterTest.info(arch));
        CnnModel model = CnnModel.of(archive);
        int n = 4;
        INDArray x = Nd4j.rand(new int[] {n, 3, 32, 32}, 99L).subi(0.5).muli(4);
        float[] flat = Nd4j.toFlattened('c', x).toFloatVector();
        float[][] dl4j = net.outputSingle(false, x).toFloatMatrix();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        float[][] ort;
        try (OrtSession s = env.createSession(OnnxExporter.export(archive).toByteArray(), new OrtSession.SessionOptions());
                OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(flat), new long[] {n, 3, 32, 32});
                OrtSession.Result r = s.run(Map.of("input", t))) {
            ort = (float[][]) r.get(0).getValue();
        }
        double vsEngine = 0;
        double vsDl4j = 0;
        int len = 3 * 32 * 32;
        for (int i = 0; i < n; i++) {
            float[] p = model.predict(java.util.Arrays.copyOfRange(flat, i * len, (i + 1) * len));
            for (int c = 0; c < p.length; c++) {
                vsEngine = Math.max(vsEngine, Math.abs(ort[i][c] - p[c]));
                vsDl4j = Math.max(vsDl4j, Math.abs(ort[i][c] - dl4j[i][c]));
            }
        }
        LOG.info(String.format("%s ONNX: max abs difference %.2e vs CnnModel, %.2e vs DL4J", arch, vsEngine, vsDl4j));
        assertTrue(vsEngine <= 1e-4, arch + " vs CnnModel: " + vsEngine);
        assertTrue(vsDl4j <= 1e-4, arch + " vs DL4J: " + vsDl4j);
    }
}
