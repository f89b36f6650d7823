package dev.cnnlab.training.export;

import dev.cnnlab.inference.format.Dtype;
import dev.cnnlab.inference.format.ModelArchive;
import dev.cnnlab.inference.format.ModelFile;
import dev.cnnlab.inference.format.ModelMetadata;
import dev.cnnlab.inference.format.TestTimeAugmentation;
import dev.cnnlab.inference.format.ModelMetadata;
import dev.cnnlab.inference.nn.CnnModel;
import dev.cnnlab.training.loop.TrainedModel;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Logger;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Writes a trained DL4J {@link ComputationGraph} as a cnnlab model file (safetensors plus a graph
 * description, see models/FORMAT.md) that {@link CnnModel} runs without DL4J.
 *
 * <p>Supported: convolution (any stride, Same or Truncate padding), batch normalization,
 * max/average pooling, global average pooling, dense and output layers, residual additions
 * ({@code ElementWiseVertex} Add) and the activations relu, leaky relu, tanh, sigmoid and
 * softmax; dropout is dropped. Anything else is refused with the layer's name in the message.
 * Before writing, the exported graph is compiled by the inference engine, so a file that
 * {@link CnnModel} cannot run is never written.
 */
public final class ModelExporter {
    /** The input shape of the built-in architectures: 3 x 32 x 32, NCHW. */
    public static final int[] INPUT_SHAPE = {3, 32, 32};

    private static final Logger LOG = Logger.getLogger(ModelExporter.class.getName());

    private ModelExporter() {
    }

    /**
     * Translates a network into the format's in-memory form.
     *
     * @param net the DL4J network (input 3 x 32 x 32)
     * @param info name, labels, normalization and provenance
     * @return the archive (format version 1, no SHA-256 yet)
     * @throws IllegalArgumentException naming a layer that cannot be exported
     */
    public static ModelArchive export(ComputationGraph net, ExportInfo info) {
        GraphTranslator t = new GraphTranslator(net, INPUT_SHAPE.clone());
        t.translate();
        ModelMetadata metadata = new ModelMetadata(info.name(), info.architecture(),
                INPUT_SHAPE.clone(), info.mean(), info.std(), info.labels(), t.nodes(),
                info.provenance());
        ModelArchive archive = new ModelArchive(ModelFile.FORMAT_VERSION, metadata, t.tensors(), "");
        CnnModel.of(archive); // fails here, not at serving time, if the engine cannot run it
        return archive;
    }

    /**
     * Exports a network to a file.
     *
     * @param net the DL4J network
     * @param info name, labels, normalization and provenance
     * @param file the {@code .safetensors} file to write (parent directories are created)
     * @param weights F32, or F16 for kernels and dense matrices at half the size (vectors stay
     *     F32; see models/FORMAT.md)
     * @return the SHA-256 of the written file, lowercase hex
     * @throws IOException if writing fails
     * @throws IllegalArgumentException naming a layer that cannot be exported, or a tensor with a
     *     weight too large for F16
     */
    public static String write(ComputationGraph net, ExportInfo info, Path file, Dtype weights)
            throws IOException {
        return write(net, info, file, weights, TestTimeAugmentation.NONE);
    }

    /**
     * As {@link #write(ComputationGraph, ExportInfo, Path, Dtype)}, with the test-time augmentation
     * the file asks its readers to apply.
     */
    public static String write(ComputationGraph net, ExportInfo info, Path file, Dtype weights,
            TestTimeAugmentation testTime) throws IOException {
        ModelArchive archive = export(net, info);
        ModelMetadata metadata = archive.metadata().with(archive.metadata().provenance(), testTime);
        String sha = ModelFile.write(file, metadata, archive.tensors().values(), weights);
        LOG.info(() -> "exported " + info.name() + " (" + archive.metadata().graph().size()
                + " nodes, " + archive.tensors().size() + " tensors, " + weights + " weights) to "
                + file + ", sha256 " + sha);
        return sha;
    }

    /**
     * Exports a trained model with F32 weights, adding its architecture and the export time to the
     * provenance.
     *
     * @param model the trained model (network, spec, labels, normalization)
     * @param name the model's name in the file
     * @param provenance run id, data set, accuracy and so on
     * @param file the file to write
     * @return the SHA-256 of the written file
     * @throws IOException if writing fails
     */
    public static String write(TrainedModel model, String name, Map<String, String> provenance,
            Path file) throws IOException {
        return write(model, name, provenance, file, Dtype.F32);
    }

    /**
     * Exports a trained model, adding its architecture and the export time to the provenance.
     *
     * @param model the trained model (network, spec, labels, normalization)
     * @param name the model's name in the file
     * @param provenance run id, data set, accuracy and so on
     * @param file the file to write
     * @param weights F32, or F16 for kernels and dense matrices (vectors stay F32)
     * @return the SHA-256 of the written file
     * @throws IOException if writing fails
     */
    public static String write(TrainedModel model, String name, Map<String, String> provenance,
            Path file, Dtype weights) throws IOException {
        return write(model, name, provenance, file, weights, TestTimeAugmentation.NONE);
    }

    /** As {@link #write(TrainedModel, String, Map, Path, Dtype)}, with a test-time augmentation. */
    public static String write(TrainedModel model, String name, Map<String, String> provenance,
            Path file, Dtype weights, TestTimeAugmentation testTime) throws IOException {
        Map<String, String> p = new LinkedHashMap<>(provenance);
        p.putIfAbsent("architecture", model.spec().name());
        p.putIfAbsent("createdAt", Instant.now().toString());
        return write(model.network(), new ExportInfo(name, model.spec().name(), model.mean(),
                model.std(), model.labels(), p), file, weights, testTime);
    }
}
