package dev.cnnlab.function;

import dev.cnnlab.inference.Predictor;
import dev.cnnlab.inference.image.Images;
import dev.cnnlab.inference.nn.CnnModel;
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

/** Loads the model named by {@code cnnlab.model.path} at start-up and hands out its predictor. */
@ApplicationScoped
public class ModelService {
    private static final Logger LOG = Logger.getLogger(ModelService.class);

    @ConfigProperty(name = "cnnlab.model.path", defaultValue = "models/default")
    String modelPath;

    // optional pin: refuse a model file whose SHA-256 differs (a corrupted or swapped file)
    @ConfigProperty(name = "cnnlab.model.sha256")
    Optional<String> expectedSha256;

    @Inject
    FunctionMetrics metrics;

    private volatile Predictor predictor;
    private volatile String loadError = "model not loaded yet";

    void onStart(@Observes StartupEvent event) {
        warmUpImageCodecs();
        Path path = Path.of(modelPath);
        try {
            long t0 = System.nanoTime();
            CnnModel model = CnnModel.load(path, expectedSha256.orElse(null));
            Predictor p = new Predictor(model);
            // one forward pass so the first request does not pay for class loading
            p.model().predict(new float[model.inputLength()]);
            predictor = p;
            metrics.modelLoaded(model);
            LOG.infof("loaded model %s (%s, sha256 %s) from %s in %d ms; %s",
                    model.metadata().name(), model.metadata().architecture(), model.sha256(),
                    path.toAbsolutePath(), (System.nanoTime() - t0) / 1_000_000,
                    CnnModel.engine());
        } catch (Exception e) {
            // the app still starts: readiness stays DOWN and /predict answers 503
            loadError = "cannot load model from " + path.toAbsolutePath() + ": " + e.getMessage();
            LOG.error(loadError, e);
        }
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
