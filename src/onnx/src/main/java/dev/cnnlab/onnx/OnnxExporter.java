package dev.cnnlab.onnx;

import static dev.cnnlab.onnx.Onnx.floats;
import static dev.cnnlab.onnx.Onnx.ints;
import static dev.cnnlab.onnx.Onnx.integer;
import static dev.cnnlab.onnx.Onnx.longs;
import static dev.cnnlab.onnx.Onnx.node;
import static dev.cnnlab.onnx.Onnx.real;

import dev.cnnlab.inference.format.GraphNode;
import dev.cnnlab.inference.format.ModelArchive;
import dev.cnnlab.inference.format.ModelMetadata;
import dev.cnnlab.inference.format.Tensor;
import dev.cnnlab.inference.format.TestTimeAugmentation;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import dev.cnnlab.onnx.proto.Onnx.GraphProto;
import dev.cnnlab.onnx.proto.Onnx.ModelProto;
import dev.cnnlab.onnx.proto.Onnx.OperatorSetIdProto;
import dev.cnnlab.onnx.proto.Onnx.StringStringEntryProto;
import dev.cnnlab.onnx.proto.Onnx.TensorProto;
import dev.cnnlab.onnx.proto.Onnx.TensorShapeProto;
import dev.cnnlab.onnx.proto.Onnx.TypeProto;
import dev.cnnlab.onnx.proto.Onnx.ValueInfoProto;

/**
 * Writes a cnnlab model as an ONNX graph at opset {@value #OPSET}: input {@code input}
 * {@code [N, C, H, W]} (already normalized, as {@code CnnModel.predict} takes it), output
 * {@code output} {@code [N, labels]}. Each cnnlab op becomes one ONNX operator (models/FORMAT.md,
 * "ONNX"); {@code hflip} test-time augmentation becomes a mirrored copy of the batch run through
 * the same graph and averaged; a model with {@code hflip-translate} is refused, naming it. Labels, normalization and provenance go in {@code metadata_props}.
 */
public final class OnnxExporter {
    /** The default ONNX operator set the graph is written against. */
    public static final int OPSET = 17;
    /** ONNX IR version 8 (ONNX 1.10+), the one that goes with opset 17. */
    static final int IR_VERSION = 8;
    /** The test-time augmentations the graph can carry; a model asking for another is refused. */
    static final Set<TestTimeAugmentation> EXPORTED_TEST_TIMES =
            EnumSet.of(TestTimeAugmentation.NONE, TestTimeAugmentation.HFLIP);
    static final String INPUT = "input";
    static final String OUTPUT = "output";

    private final ModelArchive archive;
    private final GraphProto.Builder graph = GraphProto.newBuilder();
    /** Rank of each value in the ONNX graph: 4 (NCHW) or 2 (flattened, NC). */
    private final Map<String, Integer> rank = new HashMap<>();

    private OnnxExporter(ModelArchive archive) {
        this.archive = archive;
    }

    /**
     * Converts a model.
     *
     * @param archive the model, as {@code ModelFile.read} returns it
     * @return the ONNX model
     * @throws IllegalArgumentException naming the node when an op has no ONNX form here
     */
    public static ModelProto export(ModelArchive archive) {
        return new OnnxExporter(archive).build();
    }

    private ModelProto build() {
        ModelMetadata m = archive.metadata();
        if (!EXPORTED_TEST_TIMES.contains(m.testTime())) {
            throw new IllegalArgumentException("test-time augmentation '" + m.testTime().json()
                    + "' has no ONNX form here (written: " + EXPORTED_TEST_TIMES.stream()
                            .map(TestTimeAugmentation::json).toList()
                    + "); export a copy without it (ConvertModel --test-time none) and run the views"
                    + " outside the graph");
        }
        int[] s = m.inputShape();
        graph.setName(m.name()).addInput(value(INPUT, "N", s[0], s[1], s[2]));
        String net = INPUT;
        boolean hflip = m.testTime() == TestTimeAugmentation.HFLIP;
        if (hflip) {
            // batch [x; mirror(x)]: Slice along W with step -1 reverses each row
            graph.addInitializer(longs("hflip_starts", -1)).addInitializer(longs("hflip_ends", Long.MIN_VALUE))
                    .addInitializer(longs("hflip_axes", 3)).addInitializer(longs("hflip_steps", -1));
            graph.addNode(node("Slice", "hflip", new String[] {INPUT, "hflip_starts", "hflip_ends",
                "hflip_axes", "hflip_steps"}, "hflip"));
            graph.addNode(node("Concat", "hflip_batch", new String[] {INPUT, "hflip"}, "hflip_batch",
                    integer("axis", 0)));
            net = "hflip_batch";
        }
        rank.put(net, 4);
        Map<String, String> valueOf = new HashMap<>(Map.of("input", net));
        for (GraphNode n : m.graph()) {
            String[] in = n.inputs().stream().map(valueOf::get).toArray(String[]::new);
            valueOf.put(n.name(), add(n, in));
        }
        String last = flat(valueOf.get(m.graph().get(m.graph().size() - 1).name()));
        int classes = m.labels().size();
        if (hflip) {
            // [2N, K] -> [2, N, K] -> mean over the two halves
            graph.addInitializer(longs("hflip_shape", 2, -1, classes));
            graph.addNode(node("Reshape", "hflip_split", new String[] {last, "hflip_shape"}, "hflip_split"));
            graph.addNode(node("ReduceMean", "hflip_mean", new String[] {"hflip_split"}, OUTPUT,
                    ints("axes", 0), integer("keepdims", 0)));
        } else {
            graph.addNode(node("Identity", "output_identity", new String[] {last}, OUTPUT));
        }
        graph.addOutput(value(OUTPUT, "N", classes));
        ModelProto.Builder model = ModelProto.newBuilder().setIrVersion(IR_VERSION)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName("cnnlab").setProducerVersion("format-" + archive.formatVersion())
                .setGraph(graph);
        meta(model, OnnxMetadata.LABELS, String.join("\n", m.labels()));
        meta(model, OnnxMetadata.MEAN, join(m.mean()));
        meta(model, OnnxMetadata.STD, join(m.std()));
        meta(model, OnnxMetadata.ARCHITECTURE, m.architecture());
        meta(model, OnnxMetadata.NAME, m.name());
        m.provenance().forEach((k, v) -> meta(model, OnnxMetadata.PROVENANCE_PREFIX + k, v));
        return model.build();
    }

    private String add(GraphNode n, String[] in) {
        String name = n.name();
        // the graph output is called output; a node of that name (an ensemble's softmax) is renamed
        String v = name.equals(OUTPUT) ? OUTPUT + "_" + n.op() : name;
        String x = in[0];
        switch (n.op()) {
            case "conv2d" -> {
                requireRank4(n, x);
                Tensor w = archive.tensor(name + ".weight");
                int[] p = n.intsParam("padding", 4, new int[4]);
                String b = name + ".bias";
                String[] inputs = archive.tensors().containsKey(b)
                        ? new String[] {x, initializer(w.name()), initializer(b)}
                        : new String[] {x, initializer(w.name())};
                emit(node("Conv", v, inputs, v, ints("kernel_shape", w.shape()[2], w.shape()[3]),
                        ints("strides", n.intsParam("stride", 2, new int[] {1, 1})),
                        ints("pads", p[0], p[2], p[1], p[3])), 4);
            }
            case "batchnorm" -> emit(node("BatchNormalization", v, new String[] {x,
                initializer(name + ".gamma"), initializer(name + ".beta"), initializer(name + ".mean"),
                initializer(name + ".var")}, v, real("epsilon", (float) n.doubleParam("eps", 1e-5))),
                    rank.get(x));
            case "relu" -> emit(node("Relu", name, in, v), rank.get(x));
            case "tanh" -> emit(node("Tanh", name, in, v), rank.get(x));
            case "sigmoid" -> emit(node("Sigmoid", name, in, v), rank.get(x));
            case "identity" -> emit(node("Identity", name, in, v), rank.get(x));
            case "gelu" -> {
                // Gelu is an operator only from opset 20: write its definition, x/2 (1 + erf(x/sqrt 2))
                scalar("gelu_sqrt2", (float) Math.sqrt(2));
                scalar("gelu_one", 1f);
                scalar("gelu_half", 0.5f);
                graph.addNode(node("Div", v + "_div", new String[] {x, "gelu_sqrt2"}, v + "_div"));
                graph.addNode(node("Erf", v + "_erf", new String[] {v + "_div"}, v + "_erf"));
                graph.addNode(node("Add", v + "_add", new String[] {v + "_erf", "gelu_one"}, v + "_add"));
                graph.addNode(node("Mul", v + "_mul", new String[] {x, v + "_add"}, v + "_mul"));
                emit(node("Mul", v, new String[] {v + "_mul", "gelu_half"}, v), rank.get(x));
            }
            case "leakyrelu" -> emit(node("LeakyRelu", name, in, v,
                    real("alpha", (float) n.doubleParam("alpha", 0.01))), rank.get(x));
            case "maxpool", "avgpool" -> {
                requireRank4(n, x);
                int[] k = n.intsParam("kernel", 2, null);
                int[] p = n.intsParam("padding", 4, new int[4]);
                boolean max = n.op().equals("maxpool");
                var common = List.of(ints("kernel_shape", k), ints("strides", n.intsParam("stride", 2, k)),
                        ints("pads", p[0], p[2], p[1], p[3]));
                var node = dev.cnnlab.onnx.proto.Onnx.NodeProto.newBuilder(node(max ? "MaxPool" : "AveragePool", name, in,
                        v)).addAllAttribute(common);
                if (!max) {
                    node.addAttribute(integer("count_include_pad", n.boolParam("includePad", false) ? 1 : 0));
                }
                emit(node.build(), 4);
            }
            case "globalavgpool" -> {
                requireRank4(n, x);
                emit(node("GlobalAveragePool", name, in, v), 4);
            }
            case "flatten" -> {
                return flat(x);
            }
            case "dense" -> {
                String b = name + ".bias";
                String[] inputs = archive.tensors().containsKey(b)
                        ? new String[] {flat(x), initializer(name + ".weight"), initializer(b)}
                        : new String[] {flat(x), initializer(name + ".weight")};
                emit(node("Gemm", v, inputs, v), 2);
            }
            case "add" -> {
                boolean mixed = Arrays.stream(in).anyMatch(t -> !rank.get(t).equals(rank.get(x)));
                String[] terms = mixed ? Arrays.stream(in).map(this::flat).toArray(String[]::new) : in;
                emit(node(terms.length == 2 ? "Add" : "Sum", v, terms, v), rank.get(terms[0]));
            }
            case "softmax" -> emit(node("Softmax", v, new String[] {flat(x)}, v, integer("axis", 1)), 2);
            default -> throw new IllegalArgumentException("node '" + name + "': op '" + n.op()
                    + "' has no ONNX export");
        }
        return v;
    }

    private void emit(dev.cnnlab.onnx.proto.Onnx.NodeProto node, int outRank) {
        graph.addNode(node);
        rank.put(node.getOutput(0), outRank);
    }

    private void requireRank4(GraphNode n, String x) {
        if (rank.get(x) != 4) {
            throw new IllegalArgumentException("node '" + n.name() + "' (" + n.op()
                    + ") reads a flattened vector; ONNX export needs an image-shaped input");
        }
    }

    /** Returns a rank-2 {@code [N, C*H*W]} view of a value, adding a Flatten when needed. */
    private String flat(String x) {
        if (rank.get(x) == 2) {
            return x;
        }
        String f = x + "_flat";
        if (!rank.containsKey(f)) {
            emit(node("Flatten", f, new String[] {x}, f, integer("axis", 1)), 2);
        }
        return f;
    }

    private void scalar(String name, float value) {
        if (graph.getInitializerList().stream().noneMatch(i -> i.getName().equals(name))) {
            graph.addInitializer(floats(name, new int[0], new float[] {value}));
        }
    }

    private String initializer(String tensor) {
        Tensor t = archive.tensor(tensor);
        if (graph.getInitializerList().stream().noneMatch(i -> i.getName().equals(tensor))) {
            graph.addInitializer(floats(tensor, t.shape(), t.data()));
        }
        return tensor;
    }

    private static ValueInfoProto value(String name, String batch, int... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(batch));
        for (int d : dims) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape)))
                .build();
    }

    private static void meta(ModelProto.Builder model, String key, String value) {
        model.addMetadataProps(StringStringEntryProto.newBuilder().setKey(key).setValue(value));
    }

    private static String join(float[] v) {
        return java.util.stream.IntStream.range(0, v.length).mapToObj(i -> Float.toString(v[i]))
                .collect(Collectors.joining(","));
    }
}
