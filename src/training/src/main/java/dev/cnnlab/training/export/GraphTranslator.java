package dev.cnnlab.training.export;

import dev.cnnlab.inference.format.GraphNode;
import dev.cnnlab.training.arch.GeluActivation;
import dev.cnnlab.inference.format.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.layers.LossLayer;

import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Walks a DL4J {@link ComputationGraph} in topological order and emits the equivalent cnnlab graph
 * nodes and weight tensors. Dropout becomes nothing; a layer's activation becomes a separate
 * node; DL4J's "Same" padding becomes explicit (top/left = total / 2, the rest bottom/right, as
 * libnd4j computes it).
 */
final class GraphTranslator {
    private final ComputationGraph net;
    private final ComputationGraphConfiguration conf;
    private final List<GraphNode> nodes = new ArrayList<>();
    private final Map<String, Tensor> tensors = new LinkedHashMap<>();
    /** DL4J vertex name -> name of the cnnlab node holding its output. */
    private final Map<String, String> alias = new HashMap<>();
    /** cnnlab node name -> its output shape [c, h, w]. */
    private final Map<String, int[]> shapes = new HashMap<>();

    GraphTranslator(ComputationGraph net, int[] inputShape) {
        this.net = net;
        this.conf = net.getConfiguration();
        shapes.put("input", inputShape);
    }

    List<GraphNode> nodes() {
        return nodes;
    }

    Map<String, Tensor> tensors() {
        return tensors;
    }

    void translate() {
        GraphVertex[] vertices = net.getVertices();
        for (int index : net.topologicalSortOrder()) {
            GraphVertex v = vertices[index];
            String name = v.getVertexName();
            if (v.isInputVertex()) {
                alias.put(name, "input");
                continue;
            }
            List<String> inputs = new ArrayList<>();
            for (VertexIndices in : v.getInputVertices()) {
                inputs.add(alias.get(vertices[in.getVertexIndex()].getVertexName()));
            }
            var confVertex = conf.getVertices().get(name);
            if (confVertex instanceof ElementWiseVertex ew) {
                if (ew.getOp() != ElementWiseVertex.Op.Add) {
                    throw new IllegalArgumentException("vertex '" + name + "': element-wise "
                            + ew.getOp() + " is not exportable (only Add)");
                }
                alias.put(name, emit(name, "add", inputs, Map.of(), shapes.get(inputs.get(0))));
            } else if (confVertex instanceof ScaleVertex sv) {
                alias.put(name, scale(name, inputs.get(0), sv.getScaleFactor()));
            } else if (confVertex instanceof LayerVertex lv) {
                String in = preprocess(name, lv.getPreProcessor(), inputs);
                alias.put(name, layer(name, lv.getLayerConf().getLayer(), v, in));
            } else {
                throw new IllegalArgumentException("vertex '" + name + "' of type "
                        + confVertex.getClass().getSimpleName() + " is not exportable");
            }
        }
        String output = alias.get(conf.getNetworkOutputs().get(0));
        if (!nodes.get(nodes.size() - 1).name().equals(output)) {
            throw new IllegalArgumentException("network output '" + output
                    + "' is not the last node in topological order");
        }
    }

    private String preprocess(String name, InputPreProcessor p, List<String> inputs) {
        if (inputs.size() != 1) {
            throw new IllegalArgumentException("layer '" + name + "' has " + inputs.size()
                    + " inputs; layers take one");
        }
        String in = inputs.get(0);
        if (p == null) {
            return in;
        }
        if (p instanceof CnnToFeedForwardPreProcessor c && c.getFormat() == CNN2DFormat.NCHW) {
            int[] s = shapes.get(in);
            // DL4J flattens [c, h, w] channel-major, which is the format's flatten order
            return emit(name + "_flatten", "flatten", List.of(in), Map.of(),
                    new int[] {s[0] * s[1] * s[2], 1, 1});
        }
        throw new IllegalArgumentException("layer '" + name + "': preprocessor "
                + p.getClass().getSimpleName() + " is not exportable");
    }

    private String layer(String name, Layer layer, GraphVertex v, String in) {
        int[] s = shapes.get(in);
        org.deeplearning4j.nn.api.Layer impl = v.getLayer();
        if (layer instanceof ConvolutionLayer c && layer.getClass() == ConvolutionLayer.class) {
            check(c.getCnn2dDataFormat() == CNN2DFormat.NCHW, name, "only NCHW is exportable");
            check(Arrays.stream(c.getDilation()).allMatch(d -> d == 1), name, "dilation");
            int[] k = c.getKernelSize();
            int[] st = c.getStride();
            int[] pad = padding(c.getConvolutionMode(), s, k, st, c.getPadding());
            INDArray w = impl.getParam("W");
            int cout = (int) w.size(0);
            put(name + ".weight", w, cout, s[0], k[0], k[1]);
            if (impl.paramTable().containsKey("b")) {
                put(name + ".bias", impl.getParam("b"), cout);
            }
            int[] out = {cout, (s[1] + pad[0] + pad[1] - k[0]) / st[0] + 1,
                (s[2] + pad[2] + pad[3] - k[1]) / st[1] + 1};
            emit(name, "conv2d", List.of(in), Map.of("kernel", List.of(k[0], k[1]),
                    "stride", List.of(st[0], st[1]), "padding", ints(pad)), out);
            return activation(name, c.getActivationFn());
        } else if (layer instanceof SubsamplingLayer p && layer.getClass() == SubsamplingLayer.class) {
            boolean max = p.getPoolingType() == PoolingType.MAX;
            check(max || p.getPoolingType() == PoolingType.AVG, name, "pooling " + p.getPoolingType());
            int[] k = p.getKernelSize();
            int[] st = p.getStride();
            int[] pad = padding(p.getConvolutionMode(), s, k, st, p.getPadding());
            Map<String, Object> params = new LinkedHashMap<>(Map.of("kernel", List.of(k[0], k[1]),
                    "stride", List.of(st[0], st[1]), "padding", ints(pad)));
            if (!max) {
                params.put("includePad", p.isAvgPoolIncludePadInDivisor());
            }
            return emit(name, max ? "maxpool" : "avgpool", List.of(in), params, new int[] {s[0],
                (s[1] + pad[0] + pad[1] - k[0]) / st[0] + 1, (s[2] + pad[2] + pad[3] - k[1]) / st[1] + 1});
        } else if (layer instanceof GlobalPoolingLayer g) {
            check(g.getPoolingType() == PoolingType.AVG, name, "global " + g.getPoolingType() + " pooling");
            return emit(name, "globalavgpool", List.of(in), Map.of(), new int[] {s[0], 1, 1});
        } else if (layer instanceof BatchNormalization bn) {
            return batchNorm(name, bn, impl, in, s);
        } else if (layer instanceof ActivationLayer a) {
            return activationNode(name, a.getActivationFn(), in);
        } else if (layer instanceof LossLayer loss) {
            return activationNode(name, loss.getActivationFn(), in);
        } else if (layer instanceof DropoutLayer) {
            return in;
        } else if (layer instanceof DenseLayer || layer.getClass() == OutputLayer.class) {
            INDArray w = impl.getParam("W");
            int nIn = (int) w.size(0);
            int nOut = (int) w.size(1);
            check(nIn == s[0] * s[1] * s[2], name, "nIn " + nIn + " for input " + Arrays.toString(s));
            put(name + ".weight", w, nIn, nOut);
            if (impl.paramTable().containsKey("b")) {
                put(name + ".bias", impl.getParam("b"), nOut);
            }
            emit(name, "dense", List.of(in), Map.of(), new int[] {nOut, 1, 1});
            return activation(name, ((BaseLayer) layer).getActivationFn());
        }
        throw new IllegalArgumentException("layer '" + name + "' of type "
                + layer.getClass().getSimpleName() + " is not exportable");
    }

    /**
     * Folds a scale vertex into the dense layer before it (the format has no scale op): its weights and
     * bias are multiplied by the factor, which gives the same outputs.
     */
    private String scale(String name, String in, double factor) {
        GraphNode producer = nodes.get(nodes.size() - 1);
        check(producer.name().equals(in) && producer.op().equals("dense"), name,
                "a scale that does not directly follow a dense layer without activation");
        for (String t : List.of(in + ".weight", in + ".bias")) {
            Tensor old = tensors.get(t);
            if (old != null) {
                float[] data = old.data().clone();
                for (int i = 0; i < data.length; i++) {
                    data[i] *= (float) factor;
                }
                tensors.put(t, new Tensor(t, old.shape(), data));
            }
        }
        return in;
    }

    private String batchNorm(String name, BatchNormalization bn, org.deeplearning4j.nn.api.Layer impl,
            String in, int[] s) {
        int c = s[0];
        if (bn.isLockGammaBeta()) {
            tensors.put(name + ".gamma", constant(name + ".gamma", c, (float) bn.getGamma()));
            tensors.put(name + ".beta", constant(name + ".beta", c, (float) bn.getBeta()));
        } else {
            put(name + ".gamma", impl.getParam("gamma"), c);
            put(name + ".beta", impl.getParam("beta"), c);
        }
        put(name + ".mean", impl.getParam("mean"), c);
        if (bn.isUseLogStd()) {
            // DL4J stores log10(std) and computes var = (10^log10std)^2, then sqrt(var + eps)
            float[] log10std = Nd4j.toFlattened('c', impl.getParam("log10stdev")).toFloatVector();
            float[] var = new float[c];
            for (int i = 0; i < c; i++) {
                double std = Math.pow(10, log10std[i]);
                var[i] = (float) (std * std);
            }
            tensors.put(name + ".var", new Tensor(name + ".var", new int[] {c}, var));
        } else {
            put(name + ".var", impl.getParam("var"), c);
        }
        return emit(name, "batchnorm", List.of(in), Map.of("eps", bn.getEps()), s);
    }

    /** Emits the activation of a layer as its own node; returns the node holding the output. */
    private String activation(String layer, IActivation fn) {
        if (fn == null || fn instanceof ActivationIdentity) {
            return layer;
        }
        return activationNode(layer + "_" + opName(layer, fn), fn, layer);
    }

    private String activationNode(String name, IActivation fn, String in) {
        if (fn == null || fn instanceof ActivationIdentity) {
            return in;
        }
        String op = opName(name, fn);
        Map<String, Object> params = fn instanceof ActivationLReLU l
                ? Map.of("alpha", l.getAlpha()) : Map.of();
        return emit(name, op, List.of(in), params, shapes.get(in));
    }

    private static String opName(String name, IActivation fn) {
        if (fn instanceof ActivationReLU r) {
            check((r.getMax() == null || r.getMax() == 0) && (r.getThreshold() == null
                    || r.getThreshold() == 0) && (r.getNegativeSlope() == null
                    || r.getNegativeSlope() == 0), name, "ReLU with max/threshold/slope");
            return "relu";
        } else if (fn instanceof ActivationSoftmax) {
            return "softmax";
        } else if (fn instanceof ActivationTanH) {
            return "tanh";
        } else if (fn instanceof ActivationSigmoid) {
            return "sigmoid";
        } else if (fn instanceof ActivationLReLU) {
            return "leakyrelu";
        } else if (fn instanceof GeluActivation) {
            return "gelu";
        }
        throw new IllegalArgumentException("layer '" + name + "': activation " + fn
                + " is not exportable");
    }

    private static int[] padding(ConvolutionMode mode, int[] in, int[] k, int[] st, int[] explicit) {
        if (mode == ConvolutionMode.Same) {
            int[] pad = new int[4];
            for (int d = 0; d < 2; d++) {
                int out = (in[d + 1] + st[d] - 1) / st[d];
                int total = Math.max(0, (out - 1) * st[d] + k[d] - in[d + 1]);
                pad[2 * d] = total / 2;
                pad[2 * d + 1] = total - total / 2;
            }
            return pad;
        }
        if (mode != ConvolutionMode.Truncate && mode != ConvolutionMode.Strict) {
            throw new IllegalArgumentException("convolution mode " + mode + " is not exportable");
        }
        return new int[] {explicit[0], explicit[0], explicit[1], explicit[1]};
    }

    private String emit(String name, String op, List<String> inputs, Map<String, Object> params,
            int[] outShape) {
        nodes.add(new GraphNode(name, op, inputs, params));
        shapes.put(name, outShape);
        return name;
    }

    private void put(String name, INDArray array, int... shape) {
        float[] data = Nd4j.toFlattened('c', array).toFloatVector();
        tensors.put(name, new Tensor(name, shape, data));
    }

    private static Tensor constant(String name, int n, float value) {
        float[] data = new float[n];
        Arrays.fill(data, value);
        return new Tensor(name, new int[] {n}, data);
    }

    private static List<Integer> ints(int[] values) {
        return Arrays.stream(values).boxed().toList();
    }

    private static void check(boolean ok, String layer, String what) {
        if (!ok) {
            throw new IllegalArgumentException("layer '" + layer + "': " + what
                    + " is not exportable");
        }
    }
}
