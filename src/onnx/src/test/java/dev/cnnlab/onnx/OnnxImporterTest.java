package dev.cnnlab.onnx;

import static dev.cnnlab.onnx.Onnx.floats;
import static dev.cnnlab.onnx.Onnx.ints;
import static dev.cnnlab.onnx.Onnx.integer;
import static dev.cnnlab.onnx.Onnx.longs;
import static dev.cnnlab.onnx.Onnx.real;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnlab.inference.format.Ensemble;
import dev.cnnlab.inference.format.ModelArchive;
import dev.cnnlab.inference.format.ModelFile;
import dev.cnnlab.inference.format.TestTimeAugmentation;
import dev.cnnlab.inference.nn.CnnModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.logging.Logger;
import dev.cnnlab.onnx.proto.Onnx.AttributeProto;
import dev.cnnlab.onnx.proto.Onnx.GraphProto;
import dev.cnnlab.onnx.proto.Onnx.ModelProto;
import dev.cnnlab.onnx.proto.Onnx.NodeProto;
import dev.cnnlab.onnx.proto.Onnx.OperatorSetIdProto;
import dev.cnnlab.onnx.proto.Onnx.TensorProto;
import dev.cnnlab.onnx.proto.Onnx.TensorShapeProto;
import dev.cnnlab.onnx.proto.Onnx.TypeProto;
import dev.cnnlab.onnx.proto.Onnx.ValueInfoProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ONNX graphs laid out the way PyTorch's exporter writes them (names like {@code /layer1/conv/Conv},
 * weights as initializers named after the module parameters, BatchNormalization with 5 inputs,
 * Flatten + Gemm transB=1, Constant nodes), built here with the protobuf builders, run in ONNX
 * Runtime and imported into cnnlab; and cnnlab -> ONNX -> cnnlab round trips.
 */
class OnnxImporterTest {
    private static final Logger LOG = Logger.getLogger(OnnxImporterTest.class.getName());
    static final List<String> LABELS = List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog",
            "horse", "ship", "truck");
    static final float[] MEAN = {0.4914f, 0.4822f, 0.4465f};
    static final float[] STD = {0.247f, 0.2435f, 0.2616f};

    /** Builds a graph as torch.onnx.export lays out a small residual CNN (opset 17). */
    static final class TorchLikeGraph {
        final GraphProto.Builder g = GraphProto.newBuilder().setName("main_graph");
        final Random rnd = new Random(42);

        String init(String name, float scale, float offset, int... shape) {
            int n = 1;
            for (int d : shape) {
                n *= d;
            }
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = offset + scale * (float) rnd.nextGaussian();
            }
            g.addInitializer(floats(name, shape, v));
            return name;
        }

        String node(String op, String name, List<String> in, AttributeProto... attrs) {
            String out = name + "_output_0";
            g.addNode(Onnx.node(op, name, in.toArray(String[]::new), out, attrs));
            return out;
        }

        String conv(String m, String x, int cin, int cout, int stride, boolean bias) {
            List<String> in = new ArrayList<>(List.of(x, init(m + ".weight", (float) Math.sqrt(2.0 / (9 * cin)), 0,
                    cout, cin, 3, 3)));
            if (bias) {
                in.add(init(m + ".bias", 0.1f, 0, cout));
            }
            return node("Conv", "/" + m + "/Conv", in, ints("dilations", 1, 1), integer("group", 1),
                    ints("kernel_shape", 3, 3), ints("pads", 1, 1, 1, 1), ints("strides", stride, stride));
        }

        String bn(String m, String x, int c) {
            return node("BatchNormalization", "/" + m + "/BatchNormalization", List.of(x,
                    init(m + ".weight", 0.2f, 1, c), init(m + ".bias", 0.1f, 0, c),
                    init(m + ".running_mean", 0.1f, 0, c), absInit(m + ".running_var", c)),
                    real("epsilon", 1e-5f), real("momentum", 0.9f));
        }

        String absInit(String name, int c) {
            float[] v = new float[c];
            for (int i = 0; i < c; i++) {
                v[i] = 0.5f + rnd.nextFloat();
            }
            g.addInitializer(floats(name, new int[] {c}, v));
            return name;
        }

        String relu(String m, String x) {
            return node("Relu", "/" + m + "/Relu", List.of(x));
        }

        ModelProto model(String x, String out) {
            g.addInput(value("input", 3, 32, 32));
            g.addOutput(value(out, 10));
            return ModelProto.newBuilder().setIrVersion(8).setProducerName("pytorch").setProducerVersion("2.5.1")
                    .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(17)).setGraph(g).build();
        }
    }

    static ValueInfoProto value(String name, int... dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch_size"));
        for (int d : dims) {
            s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(s))).build();
    }

    /**
     * conv-bn-relu stem, max pool, a basic residual block, avg pool (padded), Mul by a Constant,
     * global pool, Flatten, Linear (Gemm transB=1), ReLU, a second Linear as MatMul + Add (as
     * exported without Gemm fusion), then Softmax if asked.
     */
    static ModelProto torchLikeResNet(boolean softmax) {
        TorchLikeGraph t = new TorchLikeGraph();
        String x = t.relu("relu", t.bn("bn1", t.conv("conv1", "input", 3, 8, 1, true), 8));
        x = t.node("MaxPool", "/maxpool/MaxPool", List.of(x), integer("ceil_mode", 0), ints("kernel_shape", 2, 2),
                ints("pads", 0, 0, 0, 0), ints("strides", 2, 2));
        String y = t.relu("layer1.0/relu", t.bn("layer1.0.bn1", t.conv("layer1.0.conv1", x, 8, 8, 1, false), 8));
        y = t.bn("layer1.0.bn2", t.conv("layer1.0.conv2", y, 8, 8, 1, false), 8);
        x = t.relu("layer1.0/relu_1", t.node("Add", "/layer1.0/Add", List.of(y, x)));
        x = t.node("AveragePool", "/avgpool/AveragePool", List.of(x), integer("ceil_mode", 0),
                integer("count_include_pad", 0), ints("kernel_shape", 3, 3), ints("pads", 1, 1, 1, 1),
                ints("strides", 2, 2));
        t.g.addNode(NodeProto.newBuilder().setOpType("Constant").setName("/Constant").addOutput("/Constant_output_0")
                .addAttribute(AttributeProto.newBuilder().setName("value").setType(AttributeProto.AttributeType.TENSOR)
                        .setT(floats("", new int[0], new float[] {1.5f}))));
        x = t.node("Mul", "/Mul", List.of(x, "/Constant_output_0"));
        x = t.node("GlobalAveragePool", "/gap/GlobalAveragePool", List.of(x));
        x = t.node("Flatten", "/Flatten", List.of(x), integer("axis", 1));
        x = t.node("Gemm", "/fc1/Gemm", List.of(x, t.init("fc1.weight", 0.4f, 0, 16, 8), t.init("fc1.bias", 0.1f, 0, 16)),
                real("alpha", 1f), real("beta", 1f), integer("transB", 1));
        x = t.relu("relu_fc", x);
        x = t.node("MatMul", "/fc2/MatMul", List.of(x, t.init("onnx::MatMul_99", 0.4f, 0, 16, 10)));
        x = t.node("Add", "/fc2/Add", List.of(t.init("fc2.bias", 0.1f, 0, 10), x));
        if (softmax) {
            x = t.node("Softmax", "/Softmax", List.of(x), integer("axis", 1));
        }
        return t.model("input", x);
    }

    static double compare(String what, ModelProto onnx, ModelArchive imported) throws Exception {
        CnnModel model = CnnModel.of(imported);
        float[][] x = Ort.inputs(model);
        double diff = Ort.maxDiff(Ort.run(onnx, x, model.metadata().inputShape()), model, x);
        LOG.info(String.format("%s: %d images, max abs difference ORT vs imported CnnModel %.2e", what, x.length, diff));
        assertTrue(diff <= OnnxExporterTest.TOLERANCE, what + ": " + diff);
        return diff;
    }

    @Test
    void torchLayoutImportsAndMatchesOrt() throws Exception {
        for (boolean softmax : new boolean[] {false, true}) {
            ModelProto onnx = torchLikeResNet(softmax);
            ModelArchive a = OnnxImporter.fromOnnx(onnx, "torch-like", LABELS, MEAN, STD, Map.of(), false);
            assertEquals("pytorch 2.5.1", a.metadata().provenance().get("onnxProducer"));
            compare("torch-like resnet" + (softmax ? " + softmax" : " (logits)"), onnx, a);
        }
    }

    @Test
    void geluAtOpset20ImportsAndMatchesOrt() throws Exception {
        TorchLikeGraph t = new TorchLikeGraph();
        String x = t.node("Gelu", "/act/Gelu", List.of(t.conv("conv1", "input", 3, 8, 2, true)),
                AttributeProto.newBuilder().setName("approximate").setType(AttributeProto.AttributeType.STRING)
                        .setS(com.google.protobuf.ByteString.copyFromUtf8("none")).build());
        x = t.node("GlobalAveragePool", "/gap/GlobalAveragePool", List.of(x));
        x = t.node("Flatten", "/Flatten", List.of(x), integer("axis", 1));
        x = t.node("Gemm", "/fc/Gemm", List.of(x, t.init("fc.weight", 0.5f, 0, 10, 8), t.init("fc.bias", 0.1f, 0, 10)),
                integer("transB", 1));
        ModelProto m = t.model("input", x);
        ModelProto onnx = m.toBuilder().setOpsetImport(0, OperatorSetIdProto.newBuilder().setVersion(20)).build();
        ModelArchive a = OnnxImporter.fromOnnx(onnx, "gelu", LABELS, MEAN, STD, Map.of(), false);
        compare("torch-like gelu (opset 20)", onnx, a);
        // and back out: opset 17 has no Gelu, so the exporter writes its definition with Erf
        compare("gelu exported at opset 17", OnnxExporter.export(a), a);
    }

    @Test
    void appendedSoftmaxGivesProbabilities() {
        ModelArchive a = OnnxImporter.fromOnnx(torchLikeResNet(false), "t", LABELS, MEAN, STD, Map.of(), true);
        float[] p = CnnModel.of(a).predict(new float[3 * 32 * 32]);
        double sum = 0;
        for (float v : p) {
            sum += v;
        }
        assertEquals(1.0, sum, 1e-5);
    }

    @Test
    void unsupportedOperatorIsRefusedByName() {
        TorchLikeGraph t = new TorchLikeGraph();
        String x = t.node("Resize", "/upsample/Resize", List.of(t.conv("conv1", "input", 3, 10, 1, true)));
        var e = assertThrows(IllegalArgumentException.class,
                () -> OnnxImporter.fromOnnx(t.model("input", x), "t", LABELS, MEAN, STD, Map.of(), false));
        assertTrue(e.getMessage().contains("'Resize'") && e.getMessage().contains("/upsample/Resize"), e.getMessage());
    }

    @Test
    void sliceOutsideTheMirrorPreludeIsRefusedByName() {
        TorchLikeGraph t = new TorchLikeGraph();
        t.g.addInitializer(longs("starts", 0)).addInitializer(longs("ends", 2)).addInitializer(longs("axes", 1))
                .addInitializer(longs("steps", 1));
        String x = t.node("Slice", "/Slice", List.of("input", "starts", "ends", "axes", "steps"));
        var e = assertThrows(IllegalArgumentException.class,
                () -> OnnxImporter.fromOnnx(t.model("input", x), "t", LABELS, MEAN, STD, Map.of(), false));
        assertTrue(e.getMessage().contains("'Slice'") && e.getMessage().contains("/Slice"), e.getMessage());
    }

    @Test
    void unsupportedAttributesAreRefusedNamingTheValue() {
        TorchLikeGraph t = new TorchLikeGraph();
        String x = t.node("Conv", "/dw/Conv", List.of("input", t.init("dw.weight", 1, 0, 3, 1, 3, 3)),
                integer("group", 3), ints("kernel_shape", 3, 3));
        var e = assertThrows(IllegalArgumentException.class,
                () -> OnnxImporter.fromOnnx(t.model("input", x), "t", LABELS, MEAN, STD, Map.of(), false));
        assertTrue(e.getMessage().contains("group 3"), e.getMessage());
    }

    @Test
    void badWeightShapeIsRefusedNamingTheTensor() {
        TorchLikeGraph t = new TorchLikeGraph();
        String x = t.node("Gemm", "/fc/Gemm", List.of(t.node("Flatten", "/Flatten", List.of("input")),
                t.init("fc.weight", 1, 0, 10, 7)), integer("transB", 1));
        var e = assertThrows(IllegalArgumentException.class,
                () -> OnnxImporter.fromOnnx(t.model("input", x), "t", LABELS, MEAN, STD, Map.of(), false));
        assertTrue(e.getMessage().contains("fc.weight") && e.getMessage().contains("[10, 7]"), e.getMessage());
    }

    @Test
    void roundTripKeepsOutputsAndMetadata() throws Exception {
        ModelArchive resnet = ModelFile.read(Ort.models().resolve("resnet20"));
        ModelArchive plain = new ModelArchive(1, resnet.metadata().with(resnet.metadata().provenance(),
                TestTimeAugmentation.NONE), resnet.tensors(), "");
        ModelArchive golden = OnnxExporterTest.golden();
        for (ModelArchive original : List.of(golden, plain, Ensemble.of("g3", List.of(golden, golden, golden)),
                ModelFile.read(Ort.models().resolve("default")))) {
            ModelProto onnx = OnnxExporter.export(original);
            ModelArchive back = OnnxImporter.fromOnnx(onnx, original.metadata().name(), null, null, null, Map.of(),
                    false);
            assertEquals(original.metadata().labels(), back.metadata().labels());
            assertEquals(original.metadata().testTime(), back.metadata().testTime());
            assertEquals(original.metadata().provenance().get("runId"), back.metadata().provenance().get("runId"));
            CnnModel a = CnnModel.of(original);
            CnnModel b = CnnModel.of(back);
            double diff = 0;
            for (float[] x : Ort.inputs(a)) {
                float[] p = a.predict(x);
                float[] q = b.predict(x);
                for (int i = 0; i < p.length; i++) {
                    diff = Math.max(diff, Math.abs(p[i] - q[i]));
                }
            }
            LOG.info(String.format("round trip %s: max abs difference %.2e", original.metadata().name(), diff));
            assertTrue(diff <= OnnxExporterTest.TOLERANCE, original.metadata().name() + ": " + diff);
        }
    }

    @Test
    void commandLineWritesAModelFileTheEngineServes(@TempDir Path dir) throws Exception {
        Path onnx = dir.resolve("torch-like.onnx");
        Files.write(onnx, torchLikeResNet(false).toByteArray());
        Path out = dir.resolve("model.safetensors");
        String line = OnnxConvert.run(new String[] {"--from-onnx", onnx.toString(), "--labels", String.join(",", LABELS),
            "--normalization", "0.4914,0.4822,0.4465/0.247,0.2435,0.2616", "--softmax", out.toString()});
        assertTrue(line.contains("sha256"), line);
        CnnModel model = CnnModel.load(out);
        assertEquals("torch-like", model.metadata().name());
        assertEquals("onnx", model.metadata().provenance().get("source"));
        assertEquals(ModelFile.sha256(Files.readAllBytes(onnx)), model.metadata().provenance().get("onnxSha256"));
        assertEquals(LABELS, model.metadata().labels());
        var e = assertThrows(IllegalArgumentException.class, () -> OnnxConvert.run(new String[] {"--from-onnx",
            onnx.toString(), "--normalization", "0.5/x", out.toString()}));
        assertTrue(e.getMessage().contains("'x'"), e.getMessage());
    }
}
