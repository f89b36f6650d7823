package dev.cnnlab.training.arch;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One layer (or vertex) of a declarative architecture.
 *
 * <p>Kinds ({@code type}):
 * <ul>
 *   <li>{@code conv}: {@code filters}, {@code kernel}, {@code stride} (1), {@code padding} ("same"),
 *       {@code activation} ("identity"), {@code bias} (true), {@code init} (the network's weight init),
 *       {@code biasEpochs} (the bias learns in every epoch);</li>
 *   <li>{@code batchnorm}: {@code momentum} (0.9), {@code eps} (1e-5), {@code fixedScale} (false);
 *       {@code relu}; {@code activation} ({@code activation}, which may also be {@code gelu});</li>
 *   <li>{@code maxpool} / {@code avgpool}: {@code kernel} (2), {@code stride} (= kernel),
 *       {@code padding} ("valid"); {@code globalavgpool};</li>
 *   <li>{@code dropout}: {@code rate} = probability to DROP (Keras semantics);</li>
 *   <li>{@code dense}: {@code units}, {@code activation} ("identity");</li>
 *   <li>{@code add}: element-wise sum of its {@code inputs} (residual connection);</li>
 *   <li>{@code output}: {@code units} classes, softmax with cross-entropy loss; {@code bias} (true),
 *       {@code scale} (the logits are multiplied by it before the softmax; 1).</li>
 * </ul>
 * {@code inputs} defaults to the previous layer (the network input for the first layer); name the
 * network input {@code "input"}. {@code name} defaults to {@code type + index}.
 *
 * @param type       the kind of layer
 * @param name       unique layer name, or null for a generated one
 * @param inputs     names of the input layers, or null for the previous layer
 * @param filters    conv output channels
 * @param kernel     conv/pool kernel size (square)
 * @param stride     conv/pool stride
 * @param padding    "same" or "valid"
 * @param activation activation name (relu, tanh, sigmoid, softmax, identity, leakyrelu, elu)
 * @param units      dense/output units
 * @param rate       dropout probability to drop
 * @param bias       whether a conv/dense/output layer has a bias (default true; in DL4J M2.1 a conv without
 *                   bias trains about 2x slower on the oneDNN path, so keep it even before batch norm)
 * @param init       conv weight init: {@code dirac} (the first in-channels filters are the identity, the
 *                   rest keep the network's init; airbench) or {@code whitening} (eigenvectors of the
 *                   training images' patch covariance, set by {@link Whitening} and never trained)
 * @param biasEpochs conv: the bias learns only during the first this many epochs (airbench: 3 for the
 *                   whitening layer)
 * @param momentum   batchnorm: weight of the old running mean and variance per batch (DL4J's decay;
 *                   PyTorch's momentum is 1 minus this)
 * @param eps        batchnorm: the epsilon added to the variance
 * @param fixedScale batchnorm: the scale stays 1 and only the shift learns
 * @param scale      output: the factor applied to the logits before the softmax
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LayerSpec(String type, String name, List<String> inputs, Integer filters, Integer kernel,
                        Integer stride, String padding, String activation, Integer units, Double rate,
                        Boolean bias, String init, Integer biasEpochs, Double momentum, Double eps,
                        Boolean fixedScale, Double scale) {
    /** Conv init: the first in-channels filters are the identity (airbench's {@code dirac_}). */
    public static final String DIRAC = "dirac";
    /** Conv init: frozen patch-whitening filters computed from the training images by {@link Whitening}. */
    public static final String WHITENING = "whitening";

    /** Returns the layer's name: its own, or {@code type + index} for the layer at {@code index}. */
    public String nameAt(int index) {
        return name != null ? name : type + index;
    }

    /** Returns whether a conv/dense/output layer has a bias. */
    boolean hasBias() {
        return bias == null || bias;
    }

    /** Returns the kernel, or {@code dflt} when absent. */
    int kernelOr(int dflt) {
        return kernel == null ? dflt : kernel;
    }

    /** Returns the stride, or {@code dflt} when absent. */
    int strideOr(int dflt) {
        return stride == null ? dflt : stride;
    }

    /** Returns the activation, or {@code dflt} when absent. */
    String activationOr(String dflt) {
        return activation == null ? dflt : activation;
    }
}
