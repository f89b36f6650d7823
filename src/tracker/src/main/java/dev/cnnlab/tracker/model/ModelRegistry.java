package dev.cnnlab.tracker.model;

import dev.cnnlab.inference.Predictor;
import dev.cnnlab.inference.format.ModelFile;
import dev.cnnlab.tracker.api.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Finds the model a prediction uses (the one asked for, else the SERVED one, else the repository's
 * default model) and keeps each loaded once: loading parses and checks the whole file. A registered
 * model's file must lie inside the model store ({@code cnnlab.model-dir}), symbolic links resolved,
 * so a tampered {@code models.path} cannot make the tracker read files elsewhere.
 */
@ApplicationScoped
public class ModelRegistry {
    private static final Logger LOG = Logger.getLogger(ModelRegistry.class);

    @ConfigProperty(name = "cnnlab.default-model", defaultValue = "models/default")
    String defaultModel;
    @ConfigProperty(name = "cnnlab.model-dir")
    String modelDir;

    private final Map<String, Predictor> loaded = new ConcurrentHashMap<>();

    public record Served(Predictor predictor, String name, Integer version, String sha256) {
    }

    public Served resolve(Long modelId) {
        Model model = modelId != null ? Model.findById(modelId) : Model.find("stage", Model.Stage.SERVED.name()).firstResult();
        if (modelId != null && model == null) {
            throw ApiException.notFound("model", modelId);
        }
        if (model != null) {
            Predictor p = load(inStore(model), model.sha256);
            return new Served(p, model.name, model.version, model.sha256);
        }
        Path path = Path.of(defaultModel);
        Path file = Files.isDirectory(path) ? path.resolve(ModelFile.DEFAULT_FILE_NAME) : path;
        if (!Files.isRegularFile(file)) {
            throw new ApiException(503, "no model to serve: none is SERVED (POST /api/models/{id}/promote) and the "
                    + "default model " + file.toAbsolutePath() + " does not exist");
        }
        Predictor p = load(file, null);
        return new Served(p, p.model().metadata().name(), null, p.model().sha256());
    }

    /**
     * The model's file with links resolved, refused (404) unless it is inside the model store; a
     * missing file inside the store is left for {@link #load} to report.
     */
    private Path inStore(Model model) {
        Path store = Path.of(modelDir).toAbsolutePath().normalize();
        Path file = store.resolve(model.path).normalize(); // an absolute path replaces the store
        boolean inside = file.startsWith(store);
        if (inside && Files.exists(file)) {
            try {
                Path real = file.toRealPath();
                if (real.startsWith(store.toRealPath())) {
                    return real; // load the checked path, not the link
                }
            } catch (IOException e) {
                // unreadable: refused below
            }
            inside = false;
        }
        if (!inside) {
            throw new ApiException(404, "model " + model.id + " cannot be served: its file " + model.path
                    + " is outside the model store " + store + " (cnnlab.model-dir)");
        }
        return file;
    }

    private Predictor load(Path path, String sha256) {
        String key = path.toAbsolutePath() + "#" + sha256;
        Predictor cached = loaded.get(key);
        if (cached != null) {
            return cached;
        }
        try {
            Predictor p = new Predictor(dev.cnnlab.inference.nn.CnnModel.load(path, sha256));
            LOG.infof("loaded model %s (%s); pure-Java engine: %s", path, p.model().sha256(),
                    dev.cnnlab.inference.nn.CnnModel.engine());
            loaded.put(key, p);
            return p;
        } catch (IOException | RuntimeException e) {
            throw new ApiException(500, "model file " + path + " cannot be loaded: " + e.getMessage());
        }
    }
}
