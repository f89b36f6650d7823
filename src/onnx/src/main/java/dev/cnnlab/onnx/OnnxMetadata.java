package dev.cnnlab.onnx;

/** The {@code metadata_props} keys the exporter writes and the importer reads back. */
final class OnnxMetadata {
    static final String LABELS = "cnnlab.labels";
    static final String MEAN = "cnnlab.mean";
    static final String STD = "cnnlab.std";
    static final String ARCHITECTURE = "cnnlab.architecture";
    static final String NAME = "cnnlab.name";
    static final String PROVENANCE_PREFIX = "cnnlab.provenance.";

    private OnnxMetadata() {
    }
}
