package dev.cnnlab.tracker.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cnnlab.tracker.auth.Caller;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;
import java.util.List;

@Path("/api/experiments")
@Produces(MediaType.APPLICATION_JSON)
public class ExperimentResource {
    @Inject
    ExperimentService experiments;
    @Inject
    Caller caller;

    /** The body is read as a tree so that every bad field can be reported, not just the first. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(JsonNode body, @Context UriInfo uri) {
        ExperimentView created = experiments.create(SpecParser.parse(body), caller.name());
        return Response.created(uri.getAbsolutePathBuilder().path(String.valueOf(created.id())).build())
                .entity(created).build();
    }

    @GET
    public List<ExperimentView> list() {
        return experiments.list();
    }

    @GET
    @Path("{id}")
    public ExperimentView get(@PathParam("id") long id) {
        return experiments.get(id);
    }

    @POST
    @Path("{id}/cancel")
    public ExperimentView cancel(@PathParam("id") long id) {
        return experiments.cancel(id, caller.name());
    }
}
