package dev.cnnlab.onnx;

import dev.cnnlab.inference.format.GraphNode;
import dev.cnnlab.inference.format.ModelArchive;
import dev.cnnlab.inference.format.ModelFile;
import dev.cnnlab.inference.format.ModelMetadata;
import dev.cnnlab.inference.format.Tensor;
import dev.cnnlab.inference.format.TestTimeAugmentation;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import dev.cnnlab.onnx.proto.Onnx.AttributeProto;
import dev.cnnlab.onnx.proto.Onnx.GraphProto;
import dev.cnnlab.onnx.proto.Onnx.ModelProto;
import dev.cnnlab.onnx.proto.Onnx.NodeProto;
import dev.cnnlab.onnx.proto.Onnx.TensorProto;
import dev.cnnlab.onnx.proto.Onnx.ValueInfoProto;

/**
 * Reads an ONNX graph of the operators CNN classifiers use into a cnnlab model: Conv, Relu,
 * LeakyRelu, Tanh, Sigmoid, Gelu (exact, not the tanh approximation), MaxPool, AveragePool, GlobalAveragePool, BatchNormalization, Add and
 * Sum (of activations, or of a constant), Mul by a constant, Gemm, MatMul, Flatten, Reshape to
 * {@code [N, -1]}, Softmax, Identity and Dropout (both nothing at inference), with weights as
 * initializers or Constant nodes. Anything else is refused, naming the operator and the node. The
 * mapping is in models/FORMAT.md, "ONNX".
 */
public final class OnnxImporter {
    /** Operators this importer reads. */
    public static final List<String> SUPPORTED = List.of("Conv", "Relu", "LeakyRelu", "Tanh", "Sigmoid", "Gelu",
            "MaxPool", "AveragePool", "GlobalAveragePool", "BatchNormalization", "Add", "Sum", "Mul", "Gemm",
            "MatMul", "Flatten", "Reshape", "Softmax", "Identity", "Dropout", "Constant");

    /** A value of the ONNX graph as cnnlab sees it: its node, {@code [c, h, w]} and ONNX rank. */
    private record Value(String node, int[] shape, int rank) {
        int size() {
            return shape[0] * shape[1] * shape[2];
        }
    }

    private final Map<String, TensorProto> constants = new HashMap<>();
    private final Map<String, Value> values = new HashMap<>();
    private final List<GraphNode> nodes = new ArrayList<>();
    private final Map<String, Tensor> tensors = new LinkedHashMap<>();
    private final Set<String> names = new HashSet<>(Set.of("input"));
    private long opset = 1;
    private final Set<String> mirrored = new HashSet<>();
    private final Set<String> split = new HashSet<>();
    private boolean hflip;

    private OnnxImporter() {
    }

    /**
     * Converts an ONNX model.
     *
     * @param model the ONNX model
     * @param name the cnnlab model name
     * @param labels the class labels; {@code null} takes them from a cnnlab export's {@code metadata_props}
     * @param mean per-channel mean; {@code null} as for labels
     * @param std per-channel standard deviation; {@code null} as for labels
     * @param provenance where the model comes from (the importer adds the producer and opset)
     * @param appendSoftmax whether to add a softmax after the graph's output (for a graph ending in logits)
     * @return the cnnlab model; {@code CnnModel.of} runs it
     * @throws IllegalArgumentException naming the operator, node, tensor or shape that cannot be read
     */
    public static ModelArchive fromOnnx(ModelProto model, String name, List<String> labels, float[] mean,
            float[] std, Map<String, String> provenance, boolean appendSoftmax) {
        Map<String, String> props = new HashMap<>();
        model.getMetadataPropsList().forEach(p -> props.put(p.getKey(), p.getValue()));
        if (labels == null) {
            labels = List.of(required(props, OnnxMetadata.LABELS, "--labels").split("\n"));
        }
        if (mean == null || std == null) {
            mean = floats(required(props, OnnxMetadata.MEAN, "--normalization"));
            std = floats(required(props, OnnxMetadata.STD, "--normalization"));
        }
        Map<String, String> prov = new LinkedHashMap<>();
        props.forEach((k, v) -> {
            if (k.startsWith(OnnxMetadata.PROVENANCE_PREFIX)) {
                prov.put(k.substring(OnnxMetadata.PROVENANCE_PREFIX.length()), v);
            }
        });
        prov.putAll(provenance);
        prov.put("onnxProducer", (model.getProducerName() + " " + model.getProducerVersion()).trim());
        OnnxImporter im = new OnnxImporter();
        model.getOpsetImportList().stream().filter(o -> o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx"))
                .forEach(o -> im.opset = o.getVersion());
        prov.put("onnxOpset", Long.toString(im.opset));
        int[] inputShape = im.read(model.getGraph(), appendSoftmax);
        String architecture = props.getOrDefault(OnnxMetadata.ARCHITECTURE, "onnx");
        ModelMetadata meta = new ModelMetadata(name, architecture, inputShape, mean, std, labels, im.nodes, prov,
                im.hflip ? TestTimeAugmentation.HFLIP : TestTimeAugmentation.NONE);
        return new ModelArchive(ModelFile.FORMAT_VERSION, meta, im.tensors, "");
    }

    private int[] read(GraphProto g, boolean appendSoftmax) {
        g.getInitializerList().forEach(t -> constants.put(t.getName(), t));
        ValueInfoProto input = g.getInputList().stream().filter(i -> !constants.containsKey(i.getName()))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("ONNX graph has no input"));
        var dims = input.getType().getTensorType().getShape().getDimList();
        int[] shape = new int[3];
        for (int i = 1; i < dims.size(); i++) {
            shape[Math.min(i - 1, 2)] = (int) dims.get(i).getDimValue();
        }
        if (dims.size() != 4 || Arrays.stream(shape).anyMatch(d -> d <= 0)) {
            throw new IllegalArgumentException("ONNX input '" + input.getName()
                    + "' must be [N, C, H, W] with fixed C, H, W, got " + dims.stream()
                    .map(d -> d.hasDimValue() ? Long.toString(d.getDimValue()) : d.getDimParam()).toList());
        }
        values.put(input.getName(), new Value("input", shape, 4));
        for (NodeProto n : g.getNodeList()) {
            node(n);
        }
        String out = g.getOutput(0).getName();
        Value last = value(out, "graph output");
        if (nodes.isEmpty() || !nodes.get(nodes.size() - 1).name().equals(last.node())) {
            last = emit("output", "identity", List.of(last.node()), Map.of(), last.shape(), last.rank());
        }
        if (appendSoftmax) {
            emit("softmax", "softmax", List.of(last.node()), Map.of(), new int[] {last.size(), 1, 1}, 2);
        }
        return shape;
    }

    private void node(NodeProto n) {
        String op = n.getOpType();
        String where = "ONNX node '" + n.getName() + "' (" + op + ")";
        if (!n.getDomain().isEmpty() && !n.getDomain().equals("ai.onnx")) {
            throw new IllegalArgumentException(where + ": unsupported operator domain '" + n.getDomain() + "'");
        }
        if (op.equals("Constant")) {
            constants.put(n.getOutput(0), attr(n, "value").orElseThrow(() -> new IllegalArgumentException(
                    where + ": only a tensor 'value' is supported")).getT());
            return;
        }
        if (List.of("Slice", "Concat", "ReduceMean").contains(op)) {
            hflipPrelude(n, where);
            return;
        }
        if (!SUPPORTED.contains(op)) {
            throw new IllegalArgumentException("unsupported ONNX operator '" + op + "' in node '" + n.getName()
                    + "' (supported: " + String.join(", ", SUPPORTED) + ")");
        }
        String name = unique(n.getName().isEmpty() ? op.toLowerCase() : n.getName());
        Value x = constants.containsKey(n.getInput(0)) ? null : value(n.getInput(0), where);
        Value y = switch (op) {
            case "Conv" -> conv(n, name, x, where);
            case "BatchNormalization" -> {
                int c = x.shape()[0];
                weight(name + ".gamma", n.getInput(1), where, c);
                weight(name + ".beta", n.getInput(2), where, c);
                weight(name + ".mean", n.getInput(3), where, c);
                weight(name + ".var", n.getInput(4), where, c);
                yield emit(name, "batchnorm", List.of(x.node()), Map.of("eps", (double) attrF(n, "epsilon", 1e-5f)),
                        x.shape(), x.rank());
            }
            case "Relu", "Tanh", "Sigmoid" -> emit(name, op.toLowerCase(), List.of(x.node()), Map.of(), x.shape(),
                    x.rank());
            case "Gelu" -> {
                String approx = attr(n, "approximate").map(a -> a.getS().toStringUtf8()).orElse("none");
                if (!approx.equals("none")) {
                    throw new IllegalArgumentException(where + ": Gelu approximate '" + approx
                            + "' is not supported (only 'none')");
                }
                yield emit(name, "gelu", List.of(x.node()), Map.of(), x.shape(), x.rank());
            }
            case "LeakyRelu" -> emit(name, "leakyrelu", List.of(x.node()),
                    Map.of("alpha", (double) attrF(n, "alpha", 0.01f)), x.shape(), x.rank());
            case "Identity", "Dropout" -> x;
            case "MaxPool", "AveragePool" -> pool(n, name, x, where);
            case "GlobalAveragePool" -> emit(name, "globalavgpool", List.of(x.node()), Map.of(),
                    new int[] {x.shape()[0], 1, 1}, 4);
            case "Flatten" -> {
                if (attrI(n, "axis", 1) != 1) {
                    throw new IllegalArgumentException(where + ": Flatten axis must be 1, got " + attrI(n, "axis", 1));
                }
                yield flatten(name, x);
            }
            case "Reshape" -> {
                long[] s = longs(n.getInput(1), where);
                if (hflip && s.length == 3 && s[0] == 2) {
                    split.add(n.getOutput(0));
                    yield x;
                }
                if (s.length != 2 || !(s[1] == -1 || s[1] == x.size()) || s[0] > 1) {
                    throw new IllegalArgumentException(where + ": only a Reshape to [N, -1] is supported, got shape "
                            + Arrays.toString(s));
                }
                yield flatten(name, x);
            }
            case "Gemm", "MatMul" -> dense(n, name, x, where);
            case "Add", "Sum", "Mul" -> elementwise(n, name, where);
            case "Softmax" -> {
                long axis = attrI(n, "axis", opset >= 13 ? -1 : 1);
                boolean whole = x.rank() == 2 ? axis == 1 || axis == -1 : opset < 13 && axis == 1;
                if (!whole) {
                    throw new IllegalArgumentException(where + ": Softmax over axis " + axis + " of a rank-"
                            + x.rank() + " input is not over the whole class vector");
                }
                yield emit(name, "softmax", List.of(x.node()), Map.of(), x.shape(), x.rank());
            }
            default -> throw new IllegalStateException(op);
        };
        values.put(n.getOutput(0), y);
    }

    /**
     * Reads the {@code hflip} test-time augmentation as {@link OnnxExporter} writes it: Slice of the
     * input along W with step -1, Concat of input and mirror on the batch axis, and at the end
     * Reshape to {@code [2, N, K]} and ReduceMean over axis 0. Any other use is refused.
     */
    private void hflipPrelude(NodeProto n, String where) {
        String op = n.getOpType();
        String in = n.getInput(0);
        boolean ok = switch (op) {
            case "Slice" -> values.containsKey(in) && values.get(in).node().equals("input") && n.getInputCount() == 5
                    && Arrays.equals(longs(n.getInput(3), where), new long[] {3})
                    && Arrays.equals(longs(n.getInput(4), where), new long[] {-1})
                    && Arrays.equals(longs(n.getInput(1), where), new long[] {-1})
                    && longs(n.getInput(2), where)[0] <= -(values.get(in).shape()[2] + 1L);
            case "Concat" -> attrI(n, "axis", 1) == 0 && n.getInputCount() == 2 && values.containsKey(in)
                    && values.get(in).node().equals("input") && mirrored.contains(n.getInput(1));
            default -> split.contains(in) && attrI(n, "keepdims", 1) == 0
                    && Arrays.equals(attrInts(n, "axes", new int[0], where), new int[] {0});
        };
        if (!ok) {
            throw new IllegalArgumentException(where + ": " + op + " is read only as the mirrored"
                    + " test-time augmentation cnnlab exports (unsupported ONNX operator '" + op + "' otherwise)");
        }
        switch (op) {
            case "Slice" -> mirrored.add(n.getOutput(0));
            case "Concat" -> {
                hflip = true;
                values.put(n.getOutput(0), values.get(in));
            }
            default -> values.put(n.getOutput(0), values.get(in));
        }
    }

    private Value conv(NodeProto n, String name, Value x, String where) {
        if (attrI(n, "group", 1) != 1) {
            throw new IllegalArgumentException(where + ": group " + attrI(n, "group", 1) + " (only 1 is supported)");
        }
        int[] w = dims(constant(n.getInput(1), where));
        if (w.length != 4 || w[1] != x.shape()[0]) {
            throw new IllegalArgumentException(where + ": weight '" + n.getInput(1) + "' has shape "
                    + Arrays.toString(w) + ", input has " + x.shape()[0] + " channels");
        }
        weight(name + ".weight", n.getInput(1), where, w);
        if (n.getInputCount() > 2 && !n.getInput(2).isEmpty()) {
            weight(name + ".bias", n.getInput(2), where, w[0]);
        }
        int[] k = {w[2], w[3]};
        int[][] win = window(n, where, k, x);
        return emit(name, "conv2d", List.of(x.node()), Map.of("kernel", List.of(k[0], k[1]),
                "stride", List.of(win[0][0], win[0][1]), "padding", List.of(win[1][0], win[1][1], win[1][2], win[1][3])),
                new int[] {w[0], win[2][0], win[2][1]}, 4);
    }

    private Value pool(NodeProto n, String name, Value x, String where) {
        if (attrI(n, "ceil_mode", 0) != 0) {
            throw new IllegalArgumentException(where + ": ceil_mode 1 is not supported");
        }
        int[] k = attrInts(n, "kernel_shape", null, where);
        int[][] win = window(n, where, k, x);
        Map<String, Object> params = new HashMap<>(Map.of("kernel", List.of(k[0], k[1]),
                "stride", List.of(win[0][0], win[0][1]),
                "padding", List.of(win[1][0], win[1][1], win[1][2], win[1][3])));
        boolean max = n.getOpType().equals("MaxPool");
        if (!max) {
            params.put("includePad", attrI(n, "count_include_pad", 0) == 1);
        }
        return emit(name, max ? "maxpool" : "avgpool", List.of(x.node()), params,
                new int[] {x.shape()[0], win[2][0], win[2][1]}, 4);
    }

    /** Returns {stride [sh, sw], padding [t, b, l, r], output [h, w]} of a Conv or pool node. */
    private int[][] window(NodeProto n, String where, int[] k, Value x) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException(where + ": needs an [N, C, H, W] input, got a flattened one");
        }
        int[] dil = attrInts(n, "dilations", new int[] {1, 1}, where);
        if (dil[0] != 1 || dil[1] != 1) {
            throw new IllegalArgumentException(where + ": dilations " + Arrays.toString(dil) + " (only 1 is supported)");
        }
        String autoPad = attr(n, "auto_pad").map(a -> a.getS().toStringUtf8()).orElse("NOTSET");
        if (!autoPad.equals("NOTSET") && !autoPad.equals("VALID")) {
            throw new IllegalArgumentException(where + ": auto_pad " + autoPad + " is not supported");
        }
        int[] s = attrInts(n, "strides", new int[] {1, 1}, where);
        int[] p = attrInts(n, "pads", new int[4], where);
        int h = (x.shape()[1] + p[0] + p[2] - k[0]) / s[0] + 1;
        int w = (x.shape()[2] + p[1] + p[3] - k[1]) / s[1] + 1;
        return new int[][] {s, {p[0], p[2], p[1], p[3]}, {h, w}};
    }

    private Value dense(NodeProto n, String name, Value x, String where) {
        if (x.rank() != 2) {
            throw new IllegalArgumentException(where + ": needs a flattened [N, features] input");
        }
        boolean gemm = n.getOpType().equals("Gemm");
        if (gemm && attrI(n, "transA", 0) != 0) {
            throw new IllegalArgumentException(where + ": transA 1 is not supported");
        }
        TensorProto b = constant(n.getInput(1), where);
        int[] d = dims(b);
        if (d.length != 2) {
            throw new IllegalArgumentException(where + ": weight '" + n.getInput(1) + "' has shape "
                    + Arrays.toString(d) + ", needs 2 dimensions");
        }
        boolean transB = gemm && attrI(n, "transB", 0) == 1;
        int in = transB ? d[1] : d[0];
        int out = transB ? d[0] : d[1];
        if (in != x.size()) {
            throw new IllegalArgumentException(where + ": weight '" + n.getInput(1) + "' has shape "
                    + Arrays.toString(d) + (transB ? " (transB)" : "") + ", input has " + x.size() + " features");
        }
        float[] w = data(b, where);
        float alpha = gemm ? attrF(n, "alpha", 1f) : 1f;
        float[] weight = new float[in * out];
        for (int i = 0; i < in; i++) {
            for (int j = 0; j < out; j++) {
                weight[i * out + j] = alpha * (transB ? w[j * in + i] : w[i * out + j]);
            }
        }
        tensors.put(name + ".weight", new Tensor(name + ".weight", new int[] {in, out}, weight));
        if (gemm && n.getInputCount() > 2 && !n.getInput(2).isEmpty()) {
            float[] c = broadcast(n.getInput(2), out, where);
            float beta = attrF(n, "beta", 1f);
            for (int j = 0; j < out; j++) {
                c[j] *= beta;
            }
            tensors.put(name + ".bias", new Tensor(name + ".bias", new int[] {out}, c));
        }
        return emit(name, "dense", List.of(x.node()), Map.of(), new int[] {out, 1, 1}, 2);
    }

    /** Add/Sum of activations, or Add/Mul of one activation and a constant (a per-channel affine). */
    private Value elementwise(NodeProto n, String name, String where) {
        List<String> act = n.getInputList().stream().filter(i -> !constants.containsKey(i)).toList();
        List<String> cst = n.getInputList().stream().filter(constants::containsKey).toList();
        if (cst.isEmpty() && !n.getOpType().equals("Mul")) {
            Value x = value(act.get(0), where);
            if (act.size() == 1) {
                return x;
            }
            List<String> in = new ArrayList<>();
            for (String a : act) {
                Value v = value(a, where);
                if (!Arrays.equals(v.shape(), x.shape())) {
                    throw new IllegalArgumentException(where + ": adds shapes " + Arrays.toString(x.shape())
                            + " and " + Arrays.toString(v.shape()) + " (no broadcasting between activations)");
                }
                in.add(v.node());
            }
            return emit(name, "add", in, Map.of(), x.shape(), x.rank());
        }
        if (act.size() != 1 || cst.size() != 1) {
            throw new IllegalArgumentException(where + ": needs one activation and one constant, got inputs "
                    + n.getInputList());
        }
        Value x = value(act.get(0), where);
        int c = x.shape()[0];
        float[] k = broadcast(cst.get(0), c, where);
        boolean mul = n.getOpType().equals("Mul");
        float[] zeros = new float[c];
        float[] ones = new float[c];
        Arrays.fill(ones, 1f);
        put(name + ".gamma", mul ? k : ones);
        put(name + ".beta", mul ? zeros : k);
        put(name + ".mean", zeros);
        put(name + ".var", ones);
        return emit(name, "batchnorm", List.of(x.node()), Map.of("eps", 0.0), x.shape(), x.rank());
    }

    private Value flatten(String name, Value x) {
        if (x.rank() == 2) {
            return x;
        }
        return emit(name, "flatten", List.of(x.node()), Map.of(), new int[] {x.size(), 1, 1}, 2);
    }

    private Value emit(String name, String op, List<String> inputs, Map<String, Object> params, int[] shape, int rank) {
        String unique = names.contains(name) && nodes.stream().anyMatch(g -> g.name().equals(name)) ? unique(name) : name;
        names.add(unique);
        nodes.add(new GraphNode(unique, op, inputs, params));
        return new Value(unique, shape, rank);
    }

    private String unique(String raw) {
        String base = raw.replaceAll("[^A-Za-z0-9_]", "_").replaceAll("^_+", "");
        base = base.isEmpty() ? "node" : base;
        String s = base;
        for (int i = 1; names.contains(s); i++) {
            s = base + "_" + i;
        }
        names.add(s);
        return s;
    }

    private Value value(String onnxName, String where) {
        Value v = values.get(onnxName);
        if (v == null) {
            throw new IllegalArgumentException(where + ": input '" + onnxName
                    + "' is neither the graph input nor an earlier node's output");
        }
        return v;
    }

    private void weight(String tensor, String onnxName, String where, int... shape) {
        TensorProto t = constant(onnxName, where);
        float[] d = data(t, where);
        if (d.length != Tensor.elementCount(shape)) {
            throw new IllegalArgumentException(where + ": tensor '" + onnxName + "' has shape "
                    + Arrays.toString(dims(t)) + ", needs " + Arrays.toString(shape));
        }
        tensors.put(tensor, new Tensor(tensor, shape, d));
    }

    private void put(String tensor, float[] data) {
        tensors.put(tensor, new Tensor(tensor, new int[] {data.length}, data));
    }

    /** Returns a constant as {@code n} values: one value repeated, or exactly {@code n}. */
    private float[] broadcast(String onnxName, int n, String where) {
        TensorProto t = constant(onnxName, where);
        float[] d = data(t, where);
        int[] shape = dims(t);
        boolean perChannel = d.length == n && (shape.length <= 1 || shape[shape.length - 1] == n
                || Arrays.stream(shape).skip(shape.length - 2).allMatch(s -> s == 1));
        if (d.length == 1) {
            float[] out = new float[n];
            Arrays.fill(out, d[0]);
            return out;
        }
        if (!perChannel) {
            throw new IllegalArgumentException(where + ": constant '" + onnxName + "' has shape "
                    + Arrays.toString(shape) + "; only a scalar or one value per channel (" + n + ") is supported");
        }
        return d;
    }

    private TensorProto constant(String onnxName, String where) {
        TensorProto t = constants.get(onnxName);
        if (t == null) {
            throw new IllegalArgumentException(where + ": '" + onnxName
                    + "' must be an initializer or a Constant (weights computed at run time are not supported)");
        }
        return t;
    }

    private static int[] dims(TensorProto t) {
        return t.getDimsList().stream().mapToInt(Long::intValue).toArray();
    }

    private static float[] data(TensorProto t, String where) {
        if (t.getDataType() != TensorProto.DataType.FLOAT_VALUE) {
            throw new IllegalArgumentException(where + ": tensor '" + t.getName() + "' has data type "
                    + TensorProto.DataType.forNumber(t.getDataType()) + " (only FLOAT weights are supported)");
        }
        if (t.hasRawData()) {
            float[] out = new float[t.getRawData().size() / 4];
            ByteBuffer.wrap(t.getRawData().toByteArray()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
            return out;
        }
        float[] out = new float[t.getFloatDataCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = t.getFloatData(i);
        }
        return out;
    }

    private long[] longs(String onnxName, String where) {
        TensorProto t = constant(onnxName, where);
        if (t.hasRawData()) {
            long[] out = new long[t.getRawData().size() / 8];
            ByteBuffer.wrap(t.getRawData().toByteArray()).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(out);
            return out;
        }
        return t.getInt64DataList().stream().mapToLong(Long::longValue).toArray();
    }

    private static java.util.Optional<AttributeProto> attr(NodeProto n, String name) {
        return n.getAttributeList().stream().filter(a -> a.getName().equals(name)).findFirst();
    }

    private static long attrI(NodeProto n, String name, long def) {
        return attr(n, name).map(AttributeProto::getI).orElse(def);
    }

    private static float attrF(NodeProto n, String name, float def) {
        return attr(n, name).map(AttributeProto::getF).orElse(def);
    }

    private static int[] attrInts(NodeProto n, String name, int[] def, String where) {
        return attr(n, name).map(a -> a.getIntsList().stream().mapToInt(Long::intValue).toArray())
                .or(() -> java.util.Optional.ofNullable(def)).orElseThrow(() ->
                        new IllegalArgumentException(where + ": missing attribute " + name));
    }

    private static String required(Map<String, String> props, String key, String option) {
        String v = props.get(key);
        if (v == null) {
            throw new IllegalArgumentException("the ONNX file has no " + key + " entry: give " + option);
        }
        return v;
    }

    static float[] floats(String csv) {
        String[] parts = csv.split(",");
        float[] out = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Float.parseFloat(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a number: '" + parts[i] + "' in '" + csv + "'");
            }
        }
        return out;
    }
}
