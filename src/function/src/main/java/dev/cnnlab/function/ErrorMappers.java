package dev.cnnlab.function;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.cnnlab.function.Dto.ErrorBody;
import dev.cnnlab.inference.image.ImageException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error leaves as JSON {@code {"code": <status>, "error": "<message>"}}. */
public class ErrorMappers {
    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    static Response error(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(new ErrorBody(status, message)).build();
    }

    @ServerExceptionMapper
    public Response unsupported(ImageException.UnsupportedFormat e) {
        return error(415, e.getMessage());
    }

    @ServerExceptionMapper
    public Response corrupt(ImageException.Corrupt e) {
        return error(400, e.getMessage());
    }

    @ServerExceptionMapper
    public Response tooLarge(ImageException.TooLarge e) {
        return error(413, e.getMessage());
    }

    @ServerExceptionMapper
    public Response badArgument(IllegalArgumentException e) {
        return error(400, e.getMessage());
    }

    @ServerExceptionMapper
    public Response badJson(JsonProcessingException e) {
        return error(400, "malformed JSON body: " + e.getOriginalMessage());
    }

    @ServerExceptionMapper
    public Response unavailable(ModelService.ModelUnavailableException e) {
        return error(503, e.getMessage());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String message = e.getMessage();
        if (status == 415) {
            message = "unsupported content type: send image/jpeg, image/png, application/json"
                    + " {\"image\": \"<base64>\"} or multipart/form-data";
        } else if (status == 413) {
            message = "request body too large";
        }
        return error(status, message);
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("unexpected error", e);
        return error(500, "internal error: " + e.getClass().getSimpleName());
    }
}
