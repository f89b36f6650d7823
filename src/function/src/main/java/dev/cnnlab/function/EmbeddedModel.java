package dev.cnnlab.function;

import dev.cnnlab.inference.format.ModelArchive;
import dev.cnnlab.inference.format.ModelFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * The default model built into the application: the resource {@value #RESOURCE}, which the
 * {@code native} Maven profile copies from {@code models/default/model.safetensors}.
 *
 * <p>The native build initializes this class at build time (application.properties), so the
 * image holds the model already parsed, its SHA-256 already computed: serving it costs no file
 * reading, digest or JSON parsing at start-up. {@link ModelService} serves it only when
 * {@code cnnlab.model.path} is not set; a model given by path always wins. Without the resource
 * (the JVM build), there is no embedded model.
 */
final class EmbeddedModel {
    /** Where the model file sits on the class path. */
    static final String RESOURCE = "dev/cnnlab/function/default-model/model.safetensors";

    private static final ModelArchive ARCHIVE = read();

    private EmbeddedModel() {
    }

    /**
     * Returns the embedded model file's contents.
     *
     * @return the parsed file, or empty when the application has none
     */
    static Optional<ModelArchive> archive() {
        return Optional.ofNullable(ARCHIVE);
    }

    private static ModelArchive read() {
        try (InputStream in = EmbeddedModel.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            return in == null ? null : ModelFile.read(in, null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the embedded model " + RESOURCE, e);
        }
    }
}
