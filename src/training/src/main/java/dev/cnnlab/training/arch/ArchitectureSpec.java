package dev.cnnlab.training.arch;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.List;

/**
 * A declarative CNN architecture for 32x32x3 inputs, read from JSON and built by {@link NetworkBuilder}.
 *
 * @param name        the architecture name, e.g. {@code keras-cifar10}
 * @param description one line saying what it is
 * @param paper       the paper (or source) the architecture follows
 * @param weightInit  DL4J weight init name (e.g. "relu" = He normal, "xavier_uniform"); null = relu
 * @param layers      the layers in order; the last must be of type {@code output}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ArchitectureSpec(String name, String description, String paper, String weightInit,
                               List<LayerSpec> layers) {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .enable(SerializationFeature.INDENT_OUTPUT);

    /** Validates the name and that there is at least an output layer. */
    public ArchitectureSpec {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new IllegalArgumentException("bad architecture name '" + name + "'");
        }
        if (layers == null || layers.isEmpty()) {
            throw new IllegalArgumentException("architecture " + name + " has no layers");
        }
        if (!"output".equals(layers.get(layers.size() - 1).type())) {
            throw new IllegalArgumentException("architecture " + name + " must end with an output layer, not "
                    + layers.get(layers.size() - 1).type());
        }
        layers = List.copyOf(layers);
    }

    /** Parses a spec from JSON. */
    public static ArchitectureSpec fromJson(String json) {
        try {
            return JSON.readValue(json, ArchitectureSpec.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("bad architecture JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Returns this spec as JSON. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Returns the number of classes (the output layer's units). */
    public int numClasses() {
        Integer units = layers.get(layers.size() - 1).units();
        return units == null ? 10 : units;
    }
}
