package dev.cnnlab.inference.format;

import java.util.List;
import java.util.Map;

/**
 * One node of a model's network graph: an operation, its parameters and the names of its inputs.
 *
 * <p>Parameter values are {@link Integer}, {@link Double}, {@link Boolean}, {@link String} or a
 * {@link List} of {@link Integer}. Weights are not parameters: they are tensors named
 * {@code <node>.<role>} in the safetensors part of the file.
 *
 * @param name the node's unique name; other nodes refer to it as an input
 * @param op the operation, one of the ops listed in models/FORMAT.md
 * @param inputs the names of the nodes (or {@code input}) this node reads
 * @param params the operation's parameters
 */
public record GraphNode(String name, String op, List<String> inputs, Map<String, Object> params) {

    /** Copies the lists and checks the required fields. */
    public GraphNode {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("graph node name must not be empty: '" + name + "'");
        }
        if (op == null || op.isEmpty()) {
            throw new IllegalArgumentException("graph node '" + name + "' has no op");
        }
        inputs = List.copyOf(inputs);
        params = Map.copyOf(params);
    }

    /**
     * Returns an integer parameter.
     *
     * @param key the parameter name
     * @param defaultValue returned when the parameter is absent
     * @return the value
     */
    public int intParam(String key, int defaultValue) {
        Object v = params.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Number n && n.doubleValue() == n.intValue()) {
            return n.intValue();
        }
        throw new ModelFormatException("node '" + name + "': parameter " + key
                + " must be an integer, got " + v);
    }

    /**
     * Returns a floating-point parameter.
     *
     * @param key the parameter name
     * @param defaultValue returned when the parameter is absent
     * @return the value
     */
    public double doubleParam(String key, double defaultValue) {
        Object v = params.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new ModelFormatException("node '" + name + "': parameter " + key
                + " must be a number, got " + v);
    }

    /**
     * Returns a boolean parameter.
     *
     * @param key the parameter name
     * @param defaultValue returned when the parameter is absent
     * @return the value
     */
    public boolean boolParam(String key, boolean defaultValue) {
        Object v = params.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw new ModelFormatException("node '" + name + "': parameter " + key
                + " must be true or false, got " + v);
    }

    /**
     * Returns an integer-array parameter of a fixed length.
     *
     * @param key the parameter name
     * @param length the required number of elements
     * @param defaultValue returned when the parameter is absent (may be null)
     * @return the value
     */
    public int[] intsParam(String key, int length, int[] defaultValue) {
        Object v = params.get(key);
        if (v == null) {
            if (defaultValue == null) {
                throw new ModelFormatException("node '" + name + "' (" + op
                        + "): missing parameter " + key);
            }
            return defaultValue.clone();
        }
        if (v instanceof List<?> list && list.size() == length) {
            int[] out = new int[length];
            for (int i = 0; i < length; i++) {
                if (!(list.get(i) instanceof Number n) || n.doubleValue() != n.intValue()) {
                    throw new ModelFormatException("node '" + name + "': parameter " + key
                            + " must hold integers, got " + v);
                }
                out[i] = n.intValue();
            }
            return out;
        }
        throw new ModelFormatException("node '" + name + "': parameter " + key + " must be "
                + length + " integers, got " + v);
    }
}
