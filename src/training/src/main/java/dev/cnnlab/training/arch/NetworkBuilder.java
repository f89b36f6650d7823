package dev.cnnlab.training.arch;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Sgd;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Builds DL4J {@link ComputationGraph}s from {@link ArchitectureSpec}s (input {@code "input"}, 32x32x3 NCHW).
 *
 * <p>Loading this class enables DL4J's oneDNN helpers for convolution and pooling (system property
 * {@code org.eclipse.deeplearning4j.helpers.disable=false}, together with the
 * {@code org.nd4j.nativeblas.Nd4jCpu} shim); without them training runs about 7x slower. Batch
 * normalization gets {@link FastBatchNormHelper} instead of DL4J's oneDNN helper.
 */
public final class NetworkBuilder {
    /** The name of the graph's input. */
    public static final String INPUT = "input";
    /** Suffixes of the vertices an output layer with a {@code scale} becomes: dense, then scale, then loss. */
    public static final String LOGITS = "_logits";
    /** See {@link #LOGITS}. */
    public static final String SCALE = "_scale";
    private static final String HELPERS_DISABLE = "org.eclipse.deeplearning4j.helpers.disable";
    private static final IUpdater FROZEN = new Sgd(0.0);

    static {
        enableHelpers();
    }

    private NetworkBuilder() {
    }

    /**
     * Enables DL4J's oneDNN layer helpers unless the property was set explicitly (set it to "true" to
     * measure the slow path); idempotent, call before any network is built.
     */
    public static void enableHelpers() {
        if (System.getProperty(HELPERS_DISABLE) == null) {
            System.setProperty(HELPERS_DISABLE, "false");
        }
        NativeMemory.warnIfMissing();
    }

    /** Builds a network with Adam (learning rate 1e-3), no weight decay and the given seed. */
    public static ComputationGraph build(ArchitectureSpec spec, long seed) {
        return build(spec, new Adam(1e-3), 0, seed);
    }

    /** Builds a network whose every parameter learns with {@code updater}. */
    public static ComputationGraph build(ArchitectureSpec spec, IUpdater updater, double weightDecay, long seed) {
        return build(spec, Updaters.of(updater), weightDecay, seed);
    }

    /**
     * Builds and initializes a network.
     *
     * @param spec        the architecture
     * @param updaters    the optimizer of each parameter group (with its learning rate or schedule)
     * @param weightDecay decoupled weight decay coefficient (0 = none), applied to weights not biases
     * @param seed        seed of the weight initialization
     * @return the initialized network; a {@link LayerSpec#WHITENING} layer still needs {@link Whitening}
     */
    public static ComputationGraph build(ArchitectureSpec spec, Updaters updaters, double weightDecay, long seed) {
        if (weightDecay < 0 || Double.isNaN(weightDecay)) {
            throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
        }
        NeuralNetConfiguration.Builder base = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(updaters.weights())
                .weightInit(weightInit(spec));
        if (weightDecay > 0) {
            base.weightDecay(weightDecay);
        }
        ComputationGraphConfiguration.GraphBuilder g = base.graphBuilder()
                .addInputs(INPUT)
                .setInputTypes(InputType.convolutional(32, 32, 3));
        Set<String> names = new HashSet<>(Set.of(INPUT));
        String previous = INPUT;
        List<LayerSpec> layers = spec.layers();
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec l = layers.get(i);
            String name = l.nameAt(i);
            if (!names.add(name)) {
                throw new IllegalArgumentException("duplicate layer name '" + name + "' in " + spec.name());
            }
            String[] inputs = l.inputs() == null ? new String[] {previous} : l.inputs().toArray(String[]::new);
            for (String in : inputs) {
                if (!names.contains(in) || in.equals(name)) {
                    throw new IllegalArgumentException("layer '" + name + "' of " + spec.name()
                            + " reads unknown input '" + in + "'");
                }
            }
            if ("output".equals(l.type()) && l.scale() != null && l.scale() != 1) {
                // dense -> scale -> softmax loss: DL4J's output layer has no factor on its logits
                g.addLayer(name + LOGITS, new DenseLayer.Builder().nOut(required(l.units(), "units", name))
                        .activation(Activation.IDENTITY).hasBias(l.hasBias()).build(), inputs);
                g.addVertex(name + SCALE, new ScaleVertex(l.scale()), name + LOGITS);
                g.addLayer(name, new LossLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX).build(), name + SCALE);
            } else if ("add".equals(l.type())) {
                if (inputs.length < 2) {
                    throw new IllegalArgumentException("add layer '" + name + "' needs 2+ inputs, got " + inputs.length);
                }
                g.addVertex(name, new ElementWiseVertex(ElementWiseVertex.Op.Add), inputs);
            } else {
                g.addLayer(name, layer(l, name, spec.name(), updaters), inputs);
            }
            previous = name;
        }
        g.setOutputs(previous);
        ComputationGraph net = new ComputationGraph(g.build());
        net.init();
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec l = layers.get(i);
            if (LayerSpec.DIRAC.equals(l.init())) {
                dirac(net.getLayer(l.nameAt(i)).getParam("W"));
            }
        }
        FastBatchNormHelper.install(net);
        return net;
    }

    /** Sets the first in-channels filters of a [out, in, kh, kw] kernel to the identity (torch's dirac_). */
    private static void dirac(INDArray w) {
        long n = Math.min(w.size(0), w.size(1));
        w.get(NDArrayIndex.interval(0, n)).assign(0);
        for (int o = 0; o < n; o++) {
            w.putScalar(new long[] {o, o, w.size(2) / 2, w.size(3) / 2}, 1.0);
        }
    }

    private static Layer layer(LayerSpec l, String name, String arch, Updaters updaters) {
        String where = "layer '" + name + "' of " + arch;
        switch (l.type() == null ? "" : l.type()) {
            case "conv":
                int k = required(l.kernel(), "kernel", where);
                int s = l.strideOr(1);
                ConvolutionLayer.Builder conv = new ConvolutionLayer.Builder().kernelSize(k, k).stride(s, s)
                        .nOut(required(l.filters(), "filters", where))
                        .convolutionMode(mode(l.padding() == null ? "same" : l.padding(), where))
                        .activation(activation(l.activationOr("identity"), where))
                        .hasBias(l.hasBias());
                if (l.init() != null && !LayerSpec.DIRAC.equals(l.init()) && !LayerSpec.WHITENING.equals(l.init())) {
                    throw new IllegalArgumentException("unknown init '" + l.init() + "' in " + where
                            + " (dirac or whitening)");
                }
                if (LayerSpec.WHITENING.equals(l.init())) {
                    conv.updater(FROZEN); // learning rate 0: no step and no weight decay
                }
                if (l.biasEpochs() != null) {
                    conv.biasUpdater(updaters.until(l.biasEpochs()));
                }
                return conv.build();
            case "batchnorm":
                BatchNormalization.Builder bn = new BatchNormalization.Builder().updater(updaters.batchNorm());
                if (l.momentum() != null) {
                    bn.decay(l.momentum());
                }
                if (l.eps() != null) {
                    bn.eps(l.eps());
                }
                BatchNormalization layer = bn.build();
                if (Boolean.TRUE.equals(l.fixedScale())) {
                    // set on the built layer: DL4J M2.1's builder drops constrainGamma(...)
                    layer.setConstraints(List.of(new FixedValueConstraint(Set.of("gamma"), 1)));
                }
                return layer;
            case "relu":
                return new ActivationLayer.Builder().activation(Activation.RELU).build();
            case "activation":
                return new ActivationLayer.Builder()
                        .activation(activation(required(l.activation(), "activation", where), where)).build();
            case "maxpool":
            case "avgpool":
                int pk = l.kernelOr(2);
                int ps = l.strideOr(pk);
                return new SubsamplingLayer.Builder("maxpool".equals(l.type()) ? PoolingType.MAX : PoolingType.AVG)
                        .kernelSize(pk, pk).stride(ps, ps)
                        .convolutionMode(mode(l.padding() == null ? "valid" : l.padding(), where)).build();
            case "globalavgpool":
                return new GlobalPoolingLayer.Builder(PoolingType.AVG).build();
            case "dropout":
                double rate = required(l.rate(), "rate", where);
                if (!(rate > 0 && rate < 1)) {
                    throw new IllegalArgumentException("dropout rate " + rate + " of " + where + " outside (0, 1)");
                }
                return new DropoutLayer(1.0 - rate); // DL4J takes the probability to KEEP
            case "dense":
                return new DenseLayer.Builder().nOut(required(l.units(), "units", where))
                        .activation(activation(l.activationOr("identity"), where))
                        .hasBias(l.hasBias()).build();
            case "output":
                return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nOut(required(l.units(), "units", where)).hasBias(l.hasBias())
                        .activation(activation(l.activationOr("softmax"), where)).build();
            default:
                throw new IllegalArgumentException("unknown layer type '" + l.type() + "' in " + where);
        }
    }

    private static <T> T required(T value, String field, String where) {
        if (value == null) {
            throw new IllegalArgumentException(where + " needs '" + field + "'");
        }
        return value;
    }

    private static ConvolutionMode mode(String padding, String where) {
        return switch (padding) {
            case "same" -> ConvolutionMode.Same;
            case "valid" -> ConvolutionMode.Truncate;
            default -> throw new IllegalArgumentException("padding '" + padding + "' of " + where
                    + " is not 'same' or 'valid'");
        };
    }

    private static IActivation activation(String name, String where) {
        if ("gelu".equals(name)) {
            return new GeluActivation();
        }
        try {
            return Activation.valueOf(name.toUpperCase(Locale.ROOT)).getActivationFunction();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown activation '" + name + "' in " + where, e);
        }
    }

    private static WeightInit weightInit(ArchitectureSpec spec) {
        String w = spec.weightInit() == null ? "relu" : spec.weightInit();
        try {
            return WeightInit.valueOf(w.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown weightInit '" + w + "' in " + spec.name(), e);
        }
    }
}
