package dev.cnnlab.training.arch;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One layer (or vertex) of a declarative architecture.
 *
 * <p>Kinds ({@code type}):
 * <ul>
 *   <li>{@code conv}: {@code filters}, {@code kernel}, {@code stride} (1), {@code padding} ("same"),
 *       {@code activation} ("identity"), {@code bias} (true);</li>
 *   <li>{@code batchnorm}; {@code relu}; {@code activation} ({@code activation});</li>
 *   <li>{@code maxpool} / {@code avgpool}: {@code kernel} (2), {@code stride} (= kernel),
 *       {@code padding} ("valid"); {@code globalavgpool};</li>
 *   <li>{@code dropout}: {@code rate} = probability to DROP (Keras semantics);</li>
 *   <li>{@code dense}: {@code units}, {@code activation} ("identity");</li>
 *   <li>{@code add}: element-wise sum of its {@code inputs} (residual connection);</li>
 *   <li>{@code output}: {@code units} classes, softmax with cross-entropy loss.</li>
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
 * @param bias       whether a conv/dense layer has a bias (default true; in DL4J M2.1 a conv without bias
 *                   trains about 2x slower on the oneDNN path, so keep it even before batch norm)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LayerSpec(String type, String name, List<String> inputs, Integer filters, Integer kernel,
                        Integer stride, String padding, String activation, Integer units, Double rate,
                        Boolean bias) {
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
