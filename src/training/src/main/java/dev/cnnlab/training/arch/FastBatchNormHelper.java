package dev.cnnlab.training.arch;

import java.lang.reflect.Field;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNBatchNormHelper;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.layers.normalization.BatchNormalizationHelper;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * DL4J's CPU batch-normalization helper with the batch statistics computed about 4x faster.
 *
 * <p>DL4J's own {@link MKLDNNBatchNormHelper} computes each training batch's variance with ND4J's
 * {@code Variance} op, a summary-statistics reduction that is several times slower than a mean: in a
 * resnet20 training profile it took 13.6% of all CPU time. This helper computes the variance as
 * {@code E[x^2] - E[x]^2} with one element-wise square and two mean reductions; normalization and its
 * gradient are the same oneDNN-backed {@code batchnorm} and {@code batchnorm_bp} ops. The float32
 * rounding of this formula grows with (mean / standard deviation)^2: in resnet20's 21 layers, where that
 * is at most 5.3, the variances differ from DL4J's by 1e-6 to 2e-5 relative, far below a batch's
 * sampling noise (see FastBatchNormHelperTest).
 */
public final class FastBatchNormHelper implements BatchNormalizationHelper {
    private static final Field HELPER = helperField();
    private INDArray mean;
    private INDArray var;

    /**
     * Replaces DL4J's oneDNN helper in every batch-normalization layer of {@code net} (layers without
     * it, e.g. on CUDA, keep theirs); call after every init, restore or clone.
     */
    public static void install(ComputationGraph net) {
        for (Layer l : net.getLayers()) {
            if (l instanceof BatchNormalization bn && bn.getHelper() instanceof MKLDNNBatchNormHelper) {
                try {
                    HELPER.set(bn, new FastBatchNormHelper());
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot set the helper of batch-norm layer " + bn.getIndex(), e);
                }
            }
        }
    }

    private static Field helperField() {
        try {
            Field f = BatchNormalization.class.getDeclaredField("helper");
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("this DL4J version has no BatchNormalization.helper field", e);
        }
    }

    @Override
    public boolean checkSupported(double eps, boolean fixedGammaBeta) {
        return !fixedGammaBeta;
    }

    @Override
    public boolean checkSupported() {
        return true;
    }

    @Override
    public INDArray preOutput(INDArray x, boolean training, long[] shape, INDArray gamma, INDArray beta,
                              INDArray globalMean, INDArray globalVar, double decay, double eps,
                              CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        if (x.dataType() != DataType.FLOAT) {
            return null; // the layer falls back to its own implementation
        }
        int axis = channelAxis(x, format);
        INDArray m;
        INDArray v;
        if (training) {
            batchStatistics(x, axis, workspaceMgr);
            m = mean;
            v = var;
        } else {
            m = globalMean.reshape(globalMean.length());
            v = globalVar.reshape(globalVar.length());
        }
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, x.dataType(), x.shape());
        Nd4j.exec(DynamicCustomOp.builder("batchnorm")
                .addInputs(x, m, v, vector(gamma), vector(beta))
                .addOutputs(out)
                .addIntegerArguments(1, 1, axis) // apply gamma, apply beta, channel axis
                .addFloatingPointArguments(eps)
                .build());
        return out;
    }

    /** Fills {@link #mean} and {@link #var} (biased, as batch normalization defines it) per channel. */
    private void batchStatistics(INDArray x, int axis, LayerWorkspaceMgr workspaceMgr) {
        if (mean == null || mean.length() != x.size(axis)) {
            // read again by the backward pass and the layer's running averages: outside any workspace
            try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                mean = Nd4j.createUninitialized(DataType.FLOAT, x.size(axis));
                var = Nd4j.createUninitialized(DataType.FLOAT, x.size(axis));
            }
        }
        int[] dims = reductionDims(x.rank(), axis);
        x.mean(mean, dims);
        INDArray squares = workspaceMgr.createUninitialized(ArrayType.FF_WORKING_MEM, x.dataType(), x.shape());
        Nd4j.exec(new MulOp(x, x, squares));
        squares.mean(var, dims);
        var.subi(mean.mul(mean));
        Transforms.relu(var, false); // rounding can take a constant channel's variance below 0
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray input, INDArray epsilon, long[] shape, INDArray gamma,
                                                     INDArray beta, INDArray dGammaView, INDArray dBetaView,
                                                     double eps, CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        if (input.dataType() != DataType.FLOAT) {
            return null;
        }
        if (!Shape.hasDefaultStridesForShape(epsilon)) {
            epsilon = epsilon.dup('c'); // the op reads it as a dense array
        }
        INDArray epsAtInput = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, input.dataType(), input.shape());
        INDArray dMean = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, mean.dataType(), mean.shape());
        INDArray dVar = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, mean.dataType(), mean.shape());
        Nd4j.exec(DynamicCustomOp.builder("batchnorm_bp")
                .addInputs(input, mean, var, vector(gamma), vector(beta), epsilon)
                .addOutputs(epsAtInput, dMean, dVar, vector(dGammaView), vector(dBetaView))
                .addIntegerArguments(1, 1, channelAxis(input, format))
                .addFloatingPointArguments(eps)
                .build());
        Gradient g = new DefaultGradient();
        g.setGradientFor(BatchNormalizationParamInitializer.GAMMA, dGammaView);
        g.setGradientFor(BatchNormalizationParamInitializer.BETA, dBetaView);
        return new Pair<>(g, epsAtInput);
    }

    @Override
    public INDArray getMeanCache(DataType dataType) {
        return mean;
    }

    @Override
    public INDArray getVarCache(DataType dataType) {
        return var;
    }

    @Override
    public Map<String, Long> helperMemoryUse() {
        return Map.of();
    }

    private static int channelAxis(INDArray x, CNN2DFormat format) {
        return x.rank() == 4 && format == CNN2DFormat.NHWC ? 3 : 1;
    }

    private static int[] reductionDims(int rank, int axis) {
        if (rank == 2) {
            return new int[] {0};
        }
        return axis == 1 ? new int[] {0, 2, 3} : new int[] {0, 1, 2};
    }

    /** The ops take rank-1 per-channel arrays; DL4J keeps them as [1, C] views of its parameters. */
    private static INDArray vector(INDArray a) {
        return a.rank() == 1 ? a : a.reshape(a.length());
    }
}
