package dev.cnnlab.tracker.model;

import dev.cnnlab.tracker.api.ApiException;
import dev.cnnlab.tracker.auth.Caller;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.Map;

@Path("/api/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelResource {
    @Inject
    EntityManager em;
    @Inject
    Caller caller;

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
