package dev.cnnlab.training.arch;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The exact GELU, {@code x * Phi(x) = 0.5 x (1 + erf(x / sqrt 2))} (Hendrycks and Gimpel 2016), as
 * PyTorch's {@code nn.GELU()}, ONNX's {@code Gelu} and the inference module's {@code gelu} op compute it.
 *
 * <p>DL4J M2.1's own {@code ActivationGELU} is not this function: its default is the sigmoid
 * approximation {@code x * sigmoid(1.702 x)} (off by 4.5e-3 at x = 1), and its "precise" variant is off
 * by 1e-2 at x = 1, so an exported network would not match its training.
 */
public final class GeluActivation extends BaseActivationFunction {
    private static final long serialVersionUID = 1L;
    private static final double INV_SQRT2 = 1 / Math.sqrt(2);
    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

    @Override
    public INDArray getActivation(INDArray in, boolean training) {
        INDArray phi = cdf(in);
        return in.muli(phi);
    }

    @Override
    public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
        assertShape(in, epsilon);
        // d/dx x Phi(x) = Phi(x) + x phi(x), phi the standard normal density
        INDArray density = Transforms.exp(in.mul(in).muli(-0.5), false).muli(INV_SQRT_2PI).muli(in);
        INDArray grad = cdf(in).addi(density);
        return new Pair<>(grad.muli(epsilon), null);
    }

    /** Phi(x) = 0.5 (1 + erf(x / sqrt 2)), a new array. */
    private static INDArray cdf(INDArray x) {
        INDArray t = x.mul(INV_SQRT2);
        Nd4j.getExecutioner().exec(new Erf(t, t));
        return t.addi(1).muli(0.5);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GeluActivation;
    }

    @Override
    public int hashCode() {
        return GeluActivation.class.hashCode();
    }

    @Override
    public String toString() {
        return "gelu";
    }
}
