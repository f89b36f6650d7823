package dev.cnnlab.inference.nn;

import dev.cnnlab.inference.format.GraphNode;
import dev.cnnlab.inference.format.ModelArchive;
import dev.cnnlab.inference.format.ModelMetadata;
import dev.cnnlab.inference.format.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Builds small random networks for tests: a fluent list of nodes plus matching tensors. */
public final class TestNets {
    private final Random rnd;
    private final int[] inputShape;
    private final List<GraphNode> nodes = new ArrayList<>();
    private final Map<String, Tensor> tensors = new LinkedHashMap<>();

    /**
     * Starts a network.
     *
     * @param seed random seed for the weights
     * @param inputShape {@code [c, h, w]}
     */
    public TestNets(long seed, int... inputShape) {
        this.rnd = new Random(seed);
        this.inputShape = inputShape;
    }

    /** Adds a node. */
    public TestNets node(String name, String op, List<String> inputs, Map<String, Object> params) {
        nodes.add(new GraphNode(name, op, inputs, params));
        return this;
    }

    /** Adds a random tensor, values uniform in [-scale, scale] (plus offset). */
    public TestNets tensor(String name, float offset, float scale, int... shape) {
        float[] data = new float[(int) Tensor.elementCount(shape)];
        for (int i = 0; i < data.length; i++) {
            data[i] = offset + scale * (2 * rnd.nextFloat() - 1);
        }
        tensors.put(name, new Tensor(name, shape, data));
        return this;
    }

    /** Adds a conv2d node with random weights and bias. */
    public TestNets conv(String name, String in, int cin, int cout, int k, int stride, int... pad) {
        tensor(name + ".weight", 0, (float) (1.5 / Math.sqrt(cin * k * k)), cout, cin, k, k);
        tensor(name + ".bias", 0, 0.1f, cout);
        return node(name, "conv2d", List.of(in), Map.of("kernel", List.of(k, k),
                "stride", List.of(stride, stride),
                "padding", List.of(pad[0], pad[1], pad[2], pad[3])));
    }

    /** Adds a batchnorm node with random, non-trivial statistics. */
    public TestNets bn(String name, String in, int c) {
        tensor(name + ".gamma", 1, 0.3f, c);
        tensor(name + ".beta", 0, 0.2f, c);
        tensor(name + ".mean", 0, 0.3f, c);
        tensor(name + ".var", 1, 0.5f, c);
        return node(name, "batchnorm", List.of(in), Map.of("eps", 1e-3));
    }

    /** Adds a dense node with random weights {@code [nIn][nOut]}. */
    public TestNets dense(String name, String in, int nIn, int nOut) {
        tensor(name + ".weight", 0, (float) (1.5 / Math.sqrt(nIn)), nIn, nOut);
        tensor(name + ".bias", 0, 0.1f, nOut);
        return node(name, "dense", List.of(in), Map.of());
    }

    /** Adds a parameterless single-input node. */
    public TestNets op(String name, String op, String in) {
        return node(name, op, List.of(in), Map.of());
    }

    /** Returns the archive with labels {@code c0..c(n-1)} and the given normalization. */
    public ModelArchive archive(int labels) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < labels; i++) {
            names.add("c" + i);
        }
        float[] mean = new float[inputShape[0]];
        float[] std = new float[inputShape[0]];
        java.util.Arrays.fill(mean, 0.5f);
        java.util.Arrays.fill(std, 0.25f);
        ModelMetadata m = new ModelMetadata("test-net", "test", inputShape, mean, std, names,
                nodes, Map.of("runId", "test"));
        return new ModelArchive(1, m, tensors, "");
    }

    /**
     * A network using every op: strided and asymmetrically padded conv, batchnorm (foldable and
     * not), relu, leakyrelu, tanh, sigmoid, identity, max/avg pooling, residual add, global
     * average pooling, flatten, dense and softmax. Input [3, 12, 12], 5 labels.
     */
    public static ModelArchive everyOp(long seed) {
        return new TestNets(seed, 3, 12, 12)
                .conv("c1", "input", 3, 8, 3, 1, 1, 1, 1, 1).bn("bn1", "c1", 8).op("r1", "relu", "bn1")
                .conv("c2", "r1", 8, 8, 3, 1, 1, 1, 1, 1).bn("bn2", "c2", 8)
                .node("add1", "add", List.of("bn2", "r1"), Map.of()).op("r2", "relu", "add1")
                .conv("c3", "r2", 8, 6, 3, 2, 0, 1, 0, 1).op("lr", "leakyrelu", "c3")
                .node("mp", "maxpool", List.of("lr"), Map.of("kernel", List.of(2, 2),
                        "stride", List.of(1, 1), "padding", List.of(0, 1, 0, 1)))
                .node("ap", "avgpool", List.of("mp"), Map.of("kernel", List.of(3, 3),
                        "stride", List.of(2, 2), "padding", List.of(1, 1, 1, 1),
                        "includePad", true))
                .node("ap2", "avgpool", List.of("mp"), Map.of("kernel", List.of(3, 3),
                        "stride", List.of(2, 2), "padding", List.of(1, 1, 1, 1)))
                .node("add2", "add", List.of("ap", "ap2"), Map.of())
                .bn("bn3", "add2", 6).op("t", "tanh", "bn3")
                .conv("c4", "t", 6, 4, 1, 1, 0, 0, 0, 0).op("s", "sigmoid", "c4")
                .op("f", "flatten", "s").op("id", "identity", "f")
                .dense("d1", "id", 4 * 3 * 3, 16).op("r3", "relu", "d1")
                .dense("d2", "r3", 16, 5).op("sm", "softmax", "d2")
                .archive(5);
    }

    /** A small residual CNN (input [3, 32, 32], 10 labels) like the built-in architectures. */
    public static ModelArchive smallCnn(long seed) {
        return new TestNets(seed, 3, 32, 32)
                .conv("conv1", "input", 3, 8, 3, 1, 1, 1, 1, 1).bn("bn1", "conv1", 8)
                .op("relu1", "relu", "bn1")
                .node("pool1", "maxpool", List.of("relu1"), Map.of("kernel", List.of(2, 2)))
                .conv("conv2", "pool1", 8, 8, 3, 1, 1, 1, 1, 1).bn("bn2", "conv2", 8)
                .node("add", "add", List.of("bn2", "pool1"), Map.of()).op("relu2", "relu", "add")
                .node("pool2", "avgpool", List.of("relu2"), Map.of("kernel", List.of(2, 2)))
                .conv("conv3", "pool2", 8, 16, 3, 2, 0, 1, 0, 1).op("relu3", "relu", "conv3")
                .op("gap", "globalavgpool", "relu3")
                .dense("dense", "gap", 16, 10).op("softmax", "softmax", "dense")
                .archive(10);
    }
}
