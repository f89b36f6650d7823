package dev.cnnlab.inference.format;

import java.util.Map;

/**
 * A model file's contents: its format version, metadata, weights and the SHA-256 of its bytes.
 *
 * @param formatVersion the format version the file was written with
 * @param metadata the self-description (graph, labels, normalization, provenance)
 * @param tensors the weights by name, in file order
 * @param sha256 the lowercase hex SHA-256 of the whole file (empty when not computed)
 */
public record ModelArchive(
        int formatVersion, ModelMetadata metadata, Map<String, Tensor> tensors, String sha256) {

    /** Copies the tensor map, keeping its order. */
    public ModelArchive {
        tensors = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tensors));
        sha256 = sha256 == null ? "" : sha256;
    }

    /**
     * Returns a tensor by name.
     *
     * @param name the tensor name
     * @return the tensor
     * @throws ModelFormatException if the file has no such tensor
     */
    public Tensor tensor(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new ModelFormatException("model file has no tensor '" + name + "'");
        }
        return t;
    }
}
