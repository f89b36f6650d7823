package dev.cnnlab.inference.nn;

import dev.cnnlab.inference.format.GraphNode;
import dev.cnnlab.inference.format.ModelArchive;
import dev.cnnlab.inference.format.ModelFormatException;
import dev.cnnlab.inference.format.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles a model's graph into a {@link Network}: checks every weight tensor against its node
 * and the incoming activation shape, builds the ops over numbered activation slots, then folds
 * batch norms into the convolution or dense layer before them and fuses ReLUs into their producers.
 */
final class GraphCompiler {
    private final ModelArchive archive;
    private final Map<String, Integer> slotOf = new HashMap<>();
    private final Map<String, int[]> shapeOf = new HashMap<>();
    private final List<Integer> slotSizes = new ArrayList<>();
    private final Set<String> usedTensors = new HashSet<>();
    private final List<Op> ops = new ArrayList<>();

    GraphCompiler(ModelArchive archive) {
        this.archive = archive;
        int[] in = archive.metadata().inputShape();
        slotOf.put("input", 0);
        shapeOf.put("input", in);
        slotSizes.add(in[0] * in[1] * in[2]);
    }

    Network build() {
        String last = "input";
        for (GraphNode node : archive.metadata().graph()) {
            add(node);
            last = node.name();
        }
        for (String t : archive.tensors().keySet()) {
            if (!usedTensors.contains(t)) {
                throw new ModelFormatException("tensor '" + t + "' is not used by any node");
            }
        }
        int outputSlot = fuse(slotOf.get(last));
        int[] sizes = slotSizes.stream().mapToInt(Integer::intValue).toArray();
        int labels = archive.metadata().labels().size();
        if (sizes[outputSlot] != labels) {
            throw new ModelFormatException("graph output has " + sizes[outputSlot]
                    + " values but the model has " + labels + " labels");
        }
        return new Network(ops, sizes, outputSlot, sizes[0]);
    }

    private void add(GraphNode n) {
        List<int[]> inShapes = new ArrayList<>();
        for (String in : n.inputs()) {
            inShapes.add(shapeOf.get(in));
        }
        int arity = n.op().equals("add") ? Math.max(2, n.inputs().size()) : 1;
        if (n.inputs().size() != arity) {
            throw new ModelFormatException("node '" + n.name() + "' (" + n.op() + ") needs "
                    + arity + " input(s), has " + n.inputs());
        }
        int in = slotOf.get(n.inputs().get(0));
        int[] s = inShapes.get(0);
        if (n.op().equals("flatten")) {
            slotOf.put(n.name(), in);
            shapeOf.put(n.name(), new int[] {s[0] * s[1] * s[2], 1, 1});
            return;
        }
        int out = slotSizes.size();
        Op op = switch (n.op()) {
            case "conv2d" -> conv(n, in, out, s);
            case "batchnorm" -> batchNorm(n, in, out, s);
            case "relu", "leakyrelu", "tanh", "sigmoid", "gelu", "identity" -> new SimpleOps.Activation(
                    n.name(), n.op(), (float) n.doubleParam("alpha", 0.01), in, out, s);
            case "maxpool", "avgpool" -> {
                int[] kernel = n.intsParam("kernel", 2, null);
                Window win = Window.of(n.name(), s, kernel, n.intsParam("stride", 2, kernel),
                        n.intsParam("padding", 4, new int[4]));
                yield new Pool2d(n.name(), n.op().equals("maxpool"),
                        n.boolParam("includePad", false), in, out, s[0], win);
            }
            case "globalavgpool" -> new SimpleOps.GlobalAvgPool(n.name(), in, out, s);
            case "dense" -> dense(n, in, out, s);
            case "add" -> {
                int[] slots = new int[n.inputs().size()];
                for (int i = 0; i < slots.length; i++) {
                    if (!Arrays.equals(inShapes.get(i), s)) {
                        throw new ModelFormatException("node '" + n.name() + "' adds shapes "
                                + Op.shape(s) + " and " + Op.shape(inShapes.get(i)));
                    }
                    slots[i] = slotOf.get(n.inputs().get(i));
                }
                yield new SimpleOps.Add(n.name(), slots, out, s);
            }
            case "softmax" -> new SimpleOps.Softmax(n.name(), in, out, s);
            default -> throw new ModelFormatException("unknown op '" + n.op() + "' in node '"
                    + n.name() + "'");
        };
        ops.add(op);
        slotOf.put(n.name(), out);
        shapeOf.put(n.name(), op.outShape);
        slotSizes.add(op.outSize());
    }

    private float[] tensor(GraphNode n, String role, int... shape) {
        Tensor t = archive.tensor(n.name() + "." + role);
        if (!Arrays.equals(t.shape(), shape)) {
            throw new ModelFormatException("tensor '" + t.name() + "' has shape "
                    + Arrays.toString(t.shape()) + ", node '" + n.name() + "' needs "
                    + Arrays.toString(shape));
        }
        usedTensors.add(t.name());
        return t.data().clone();
    }

    private Op conv(GraphNode n, int in, int out, int[] s) {
        Tensor w = archive.tensor(n.name() + ".weight");
        if (w.shape().length != 4) {
            throw new ModelFormatException("tensor '" + w.name()
                    + "' must be [out, in, kh, kw], got " + Arrays.toString(w.shape()));
        }
        int cout = w.shape()[0];
        int[] kernel = n.intsParam("kernel", 2, new int[] {w.shape()[2], w.shape()[3]});
        float[] weight = tensor(n, "weight", cout, s[0], kernel[0], kernel[1]);
        float[] bias = archive.tensors().containsKey(n.name() + ".bias")
                ? tensor(n, "bias", cout) : new float[cout];
        Window win = Window.of(n.name(), s, kernel, n.intsParam("stride", 2, new int[] {1, 1}),
                n.intsParam("padding", 4, new int[4]));
        return new Conv2d(n.name(), in, out, s[0], win, weight, bias, cout);
    }

    private Op batchNorm(GraphNode n, int in, int out, int[] s) {
        int c = s[0];
        float[] gamma = tensor(n, "gamma", c);
        float[] beta = tensor(n, "beta", c);
        float[] mean = tensor(n, "mean", c);
        float[] var = tensor(n, "var", c);
        double eps = n.doubleParam("eps", 1e-5);
        float[] scale = new float[c];
        float[] shift = new float[c];
        for (int i = 0; i < c; i++) {
            double sc = gamma[i] / Math.sqrt(var[i] + eps);
            scale[i] = (float) sc;
            shift[i] = (float) (beta[i] - mean[i] * sc);
        }
        return new SimpleOps.Affine(n.name(), in, out, s, scale, shift);
    }

    private Op dense(GraphNode n, int in, int out, int[] s) {
        int nIn = s[0] * s[1] * s[2];
        Tensor w = archive.tensor(n.name() + ".weight");
        int nOut = w.shape().length == 2 ? w.shape()[1] : -1;
        float[] weight = tensor(n, "weight", nIn, nOut);
        float[] bias = archive.tensors().containsKey(n.name() + ".bias")
                ? tensor(n, "bias", nOut) : new float[nOut];
        return new Dense(n.name(), in, out, nIn, weight, bias);
    }

    /** Folds affines into convs/denses and relus into producers; returns the output slot. */
    private int fuse(int outputSlot) {
        int[] redirect = new int[slotSizes.size()];
        int[] consumers = new int[slotSizes.size()];
        Op[] producer = new Op[slotSizes.size()];
        Arrays.setAll(redirect, i -> i);
        for (Op op : ops) {
            for (int i : op.inputs) {
                consumers[i]++;
            }
            producer[op.output] = op;
        }
        consumers[outputSlot]++;
        List<Op> kept = new ArrayList<>();
        for (Op op : ops) {
            for (int i = 0; i < op.inputs.length; i++) {
                op.inputs[i] = redirect[op.inputs[i]];
            }
            int in = op.inputs[0];
            Op p = producer[in];
            boolean single = p != null && consumers[in] == 1 && !p.relu
                    && kept.contains(p) && op.inputs.length == 1;
            if (single && op instanceof SimpleOps.Affine a
                    && Arrays.equals(a.outShape, p.outShape)
                    && (p instanceof Conv2d || p instanceof Dense)) {
                if (p instanceof Conv2d c) {
                    c.foldAffine(a.scale, a.shift);
                } else {
                    ((Dense) p).foldAffine(a.scale, a.shift);
                }
                redirect[op.output] = in;
                producer[in] = p;
                consumers[in] = consumers[op.output];
                continue;
            }
            if (single && op instanceof SimpleOps.Activation act && act.isRelu()
                    && p.canFuseRelu()) {
                p.relu = true;
                redirect[op.output] = in;
                consumers[in] = consumers[op.output];
                continue;
            }
            kept.add(op);
        }
        ops.clear();
        ops.addAll(kept);
        return redirect[outputSlot];
    }
}
