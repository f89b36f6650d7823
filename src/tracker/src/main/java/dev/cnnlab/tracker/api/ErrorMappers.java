package dev.cnnlab.tracker.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns every failure into {code, error[, violations]} JSON; only unexpected ones are logged. */
public class ErrorMappers {
    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response api(ApiException e) {
        return respond(new ErrorBody(e.status(), e.getMessage(), e.violations()));
    }

    // Quarkus REST maps these to a bare 400 itself; ours names the JSON problem.
    @ServerExceptionMapper(priority = 1)
    public Response mismatched(MismatchedInputException e) {
        return malformed(e);
    }

    @ServerExceptionMapper(priority = 1)
    public Response json(JsonProcessingException e) {
        return malformed(e);
    }

    @ServerExceptionMapper
    public Response constraints(ConstraintViolationException e) {
        List<Violation> violations = e.getConstraintViolations().stream()
                .map(v -> new Violation(lastNode(v.getPropertyPath().toString()), v.getMessage()))
                .sorted((a, b) -> a.field().compareTo(b.field()))
                .toList();
        return respond(ApiException.invalid(violations)).build();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        // Quarkus REST wraps a body that is not JSON in a bare BadRequestException
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof JsonProcessingException json) {
                return malformed(json);
            }
        }
        int status = e.getResponse().getStatus();
        String message = status == 404 ? "not found" : e.getMessage();
        return respond(new ErrorBody(status, message));
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        LOG.error("unexpected error", e);
        return respond(new ErrorBody(500, "internal error: " + e));
    }

    private Response malformed(JsonProcessingException e) {
        return respond(new ErrorBody(400, "malformed JSON: " + e.getOriginalMessage()));
    }

    private static Response.ResponseBuilder respond(ApiException e) {
        return Response.status(e.status()).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorBody(e.status(), e.getMessage(), e.violations()));
    }

    private static Response respond(ErrorBody body) {
        return Response.status(body.code()).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }

    private static String lastNode(String path) {
        // "create.spec.name" -> "name": the request field, not the Java method chain
        int dot = path.indexOf('.', path.indexOf('.') + 1);
        return dot < 0 ? path : path.substring(dot + 1);
    }
}
