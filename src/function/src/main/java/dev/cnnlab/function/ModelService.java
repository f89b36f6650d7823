package dev.cnnlab.function;

import dev.cnnlab.inference.Predictor;
import dev.cnnlab.inference.format.ModelArchive;
import dev.cnnlab.inference.format.ModelFormatException;
import dev.cnnlab.inference.image.Images;
import dev.cnnlab.inference.nn.CnnModel;
import io.quarkus.runtime.ImageMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Loads the model at start-up and hands out its predictor: the file or directory that
 * {@code cnnlab.model.path} names, else the model embedded in a native image ({@link
 * EmbeddedModel}), else {@value #DEFAULT_PATH} relative to the working directory.
 */
@ApplicationScoped
public class ModelService {
    private static final Logger LOG = Logger.getLogger(ModelService.class);

    /** Where the model is looked for when no path is given and none is embedded. */
    static final String DEFAULT_PATH = "models/default";

    @ConfigProperty(name = "cnnlab.model.path")
    Optional<String> modelPath;

    // optional pin: refuse a model file whose SHA-256 differs (a corrupted or swapped file)
    @ConfigProperty(name = "cnnlab.model.sha256")
    Optional<String> expectedSha256;

    @Inject
    FunctionMetrics metrics;

    private volatile Predictor predictor;
    private volatile String loadError = "model not loaded yet";

    void onStart(@Observes StartupEvent event) {
        warmUpImageCodecs();
        Optional<ModelArchive> embedded = modelPath.isPresent() ? Optional.empty() : EmbeddedModel.archive();
        String source = embedded.isPresent() ? "the executable (embedded " + DEFAULT_PATH + ")"
                : Path.of(modelPath.orElse(DEFAULT_PATH)).toAbsolutePath().toString();
        try {
            long t0 = System.nanoTime();
            CnnModel model = embedded.isPresent() ? embedded(embedded.get())
                    : CnnModel.load(Path.of(modelPath.orElse(DEFAULT_PATH)), expectedSha256.orElse(null));
            Predictor p = new Predictor(model);
            if (!ImageMode.current().isNativeImage()) {
                // one forward pass so the first request does not pay for class loading and JIT
                // compilation; a native image has neither, and each thread has its own workspace,
                // so there it would only delay the first answer by a pass
                p.model().predict(new float[model.inputLength()]);
            }
            predictor = p;
            metrics.modelLoaded(model);
            LOG.infof("loaded model %s (%s, sha256 %s) from %s in %d ms; %s",
                    model.metadata().name(), model.metadata().architecture(), model.sha256(),
                    source, (System.nanoTime() - t0) / 1_000_000, CnnModel.engine());
        } catch (Exception e) {
            // the app still starts: readiness stays DOWN and /predict answers 503
            loadError = "cannot load model from " + source + ": " + e.getMessage();
            LOG.error(loadError, e);
        }
    }

    /** Compiles the embedded model, checking the optional SHA-256 pin as for a file. */
    private CnnModel embedded(ModelArchive archive) {
        String expected = expectedSha256.orElse(null);
        if (expected != null && !expected.equalsIgnoreCase(archive.sha256())) {
            throw new ModelFormatException("sha256 mismatch: expected " + expected
                    + " but the embedded model has " + archive.sha256());
        }
        return CnnModel.of(archive);
    }

    // Loading the JPEG/PNG readers takes ~150 ms on first use; do it on another core while the
    // model loads and Quarkus finishes starting, instead of in the first request.
    private static void warmUpImageCodecs() {
        Thread t = new Thread(() -> {
            try {
                BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
                for (String format : new String[] {"jpeg", "png"}) {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    ImageIO.write(img, format, out);
                    Images.decode(out.toByteArray());
                }
            } catch (Exception e) {
                LOG.debug("image codec warm-up failed", e);
            }
        }, "cnnlab-warmup");
        t.setDaemon(true);
        t.start();
    }

    /** The predictor, or a 503 when the model failed to load. */
    public Predictor predictor() {
        Predictor p = predictor;
        if (p == null) {
            throw new ModelUnavailableException(loadError);
        }
        return p;
    }

    public boolean isLoaded() {
        return predictor != null;
    }

    public String loadError() {
        return loadError;
    }

    /** Thrown while no model is loaded; mapped to 503. */
    public static class ModelUnavailableException extends RuntimeException {
        public ModelUnavailableException(String message) {
            super(message);
        }
    }
}
