package dev.cnnlab.tracker.model;

import dev.cnnlab.inference.format.ModelArchive;
import dev.cnnlab.inference.format.ModelFile;
import dev.cnnlab.inference.format.TestTimeAugmentation;
import dev.cnnlab.inference.nn.CnnModel;
import dev.cnnlab.tracker.api.ApiException;
import dev.cnnlab.tracker.auth.Caller;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

@Path("/api/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelResource {
    /** Model names become folder names in the store. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    /** Provenance entries of a model file that are the tracker's metrics, under the tracker's names. */
    private static final Map<String, String> METRICS = Map.of("accuracy", "testAccuracy",
            "accuracyWithoutFlip", "testAccuracyWithoutFlip", "top5Accuracy", "testTop5Accuracy",
            "heldOutImages", "testImages", "epochs", "epochs");

    @Inject
    EntityManager em;
    @Inject
    Caller caller;
    @ConfigProperty(name = "cnnlab.model-dir")
    String modelDir;

    public record ModelView(Long id, Long runId, String name, int version, String sha256, long sizeBytes,
                            Map<String, Object> metrics, List<String> labels, String stage, Instant createdAt,
                            String createdBy, String promotedBy, Instant promotedAt) {
        static ModelView of(Model m) {
            return new ModelView(m.id, m.runId, m.name, m.version, m.sha256, m.sizeBytes,
                    m.metrics == null ? Map.of() : m.metrics, m.labels == null ? List.of() : m.labels, m.stage,
                    m.createdAt, m.createdBy, m.promotedBy, m.promotedAt);
        }
    }

    @GET
    public List<ModelView> list() {
        return Model.<Model>list("order by createdAt desc, id desc").stream().map(ModelView::of).toList();
    }

    /**
     * Registers a model trained outside the tracker (the {@code Train} command line, another
     * machine): the body is a cnnlab model file, checked as the function checks it (format,
     * graph, weights), stored in the model store and listed with the accuracy and provenance it
     * carries. A refused file stores nothing. Any content type is taken (curl's
     * {@code --data-binary} sends a form type); the bytes are what is checked, after the token.
     *
     * @param body the model file
     * @param name the registry name; default: the name inside the file
     * @return 201 with the new model
     */
    @POST
    @Consumes(MediaType.WILDCARD)
    @Transactional
    public Response importModel(byte[] body, @QueryParam("name") String name) {
        if (body == null || body.length == 0) {
            throw ApiException.badRequest("the request body must be a cnnlab model file, got no bytes");
        }
        ModelArchive archive;
        try {
            archive = ModelFile.parse(body, null);
            CnnModel.of(archive); // the graph must run, not only parse
        } catch (IllegalArgumentException e) { // ModelFormatException is one
            throw ApiException.badRequest("not a usable cnnlab model file: " + e.getMessage());
        }
        String modelName = name == null || name.isBlank() ? archive.metadata().name() : name.trim();
        if (!NAME.matcher(modelName).matches()) {
            throw ApiException.badRequest("model name '" + modelName + "' must be 1-100 letters, digits, '.', '_' or"
                    + " '-', starting with a letter or digit");
        }
        Integer max = em.createQuery("select max(m.version) from Model m where m.name = ?1", Integer.class)
                .setParameter(1, modelName).getSingleResult();
        Model model = new Model();
        model.name = modelName;
        model.version = max == null ? 1 : max + 1;
        model.sha256 = archive.sha256();
        model.sizeBytes = body.length;
        model.metrics = metrics(archive.metadata().provenance());
        if (archive.metadata().testTime() != TestTimeAugmentation.NONE) {
            model.metrics.put("testTimeAugmentation", archive.metadata().testTime().json());
        }
        model.labels = archive.metadata().labels();
        model.createdAt = Instant.now();
        model.createdBy = caller.name();
        java.nio.file.Path file = java.nio.file.Path.of(modelDir, modelName, "v" + model.version,
                ModelFile.DEFAULT_FILE_NAME);
        model.path = file.toAbsolutePath().toString();
        try {
            Files.createDirectories(file.getParent());
            java.nio.file.Path part = file.resolveSibling(file.getFileName() + ".part");
            Files.write(part, body);
            Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store model " + modelName + " in " + file.getParent(), e);
        }
        model.persist();
        return Response.status(Response.Status.CREATED).entity(ModelView.of(model)).build();
    }

    /** The tracker's metrics from a model file's provenance: numbers renamed, other entries kept as text. */
    static Map<String, Object> metrics(Map<String, String> provenance) {
        Map<String, Object> metrics = new LinkedHashMap<>();
        provenance.forEach((key, value) -> {
            String metric = METRICS.get(key);
            if (metric != null) {
                try {
                    metrics.put(metric, Double.parseDouble(value));
                    return;
                } catch (NumberFormatException e) {
                    // kept as text below
                }
            }
            metrics.put(key, value);
        });
        return metrics;
    }

    /**
     * Serves this model and records who asked; the one served before is archived (a partial unique
     * index allows one).
     */
    @POST
    @Path("{id}/promote")
    @Transactional
    public ModelView promote(@PathParam("id") long id) {
        Model model = Model.findById(id);
        if (model == null) {
            throw ApiException.notFound("model", id);
        }
        em.createQuery("update Model set stage = 'ARCHIVED' where stage = 'SERVED' and id <> ?1")
                .setParameter(1, id).executeUpdate();
        model.stage = Model.Stage.SERVED.name();
        model.promotedBy = caller.name();
        model.promotedAt = Instant.now();
        return ModelView.of(model);
    }
}
