package dev.cnnlab.function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.cnnlab.function.Dto.ErrorBody;
import dev.cnnlab.inference.image.ImageException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Every error leaves as JSON {@code {"code": <status>, "error": "<message>"}}: the exception
 * mappers cover the REST layer, {@link #refuse} and {@link #failed} the Vert.x routes before it.
 * Under {@code /v2} (the Open Inference Protocol) it is {@code {"error": "<message>"}}, as that
 * spec says.
 */
public class ErrorMappers {
    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);
    // how long a refused request's unread body is drained before the connection is closed
    private static final long DRAIN_MS = 1000;

    static Response error(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(new ErrorBody(status, message)).build();
    }

    /**
     * Answers a request from a route handler, maybe before its body was read. Over HTTP/1 the
     * connection is then closed, but only once the rest of the body is discarded (for at most a
     * second): closing a socket with unread data sends a TCP reset, which can destroy the answer
     * in the client's receive buffer before the client reads it. An HTTP/2 stream just discards
     * the rest; the connection carries other requests.
     */
    static void refuse(RoutingContext ctx, int status, String message) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed()) {
            return;
        }
        HttpServerRequest request = ctx.request();
        boolean http1 = request.version() != HttpVersion.HTTP_2;
        if (http1) {
            response.putHeader("Connection", "close");
        }
        JsonObject body = isV2(request.path()) ? new JsonObject()
                : new JsonObject().put("code", status);
        response.setStatusCode(status).putHeader("Content-Type", MediaType.APPLICATION_JSON)
                .end(body.put("error", message).encode());
        if (request.isEnded()) {
            if (http1) {
                request.connection().close();
            }
            return;
        }
        request.handler(ignored -> { });
        if (http1) {
            long timer = ctx.vertx().setTimer(DRAIN_MS, id -> request.connection().close());
            request.endHandler(v -> {
                ctx.vertx().cancelTimer(timer);
                request.connection().close();
            });
        }
        request.resume();
    }

    /**
     * The failure handler of the Vert.x routes: a failure outside the REST layer's mappers (a
     * multipart body the parser cannot read, say) is still answered with JSON.
     */
    static void failed(RoutingContext ctx) {
        Throwable t = ctx.failure();
        int status = ctx.statusCode();
        String message;
        if (t instanceof IOException) {
            // the body was read completely before parsing, so this is a malformed body
            status = 400;
            message = "malformed request body: " + t.getMessage();
        } else if (status >= 400 && status < 500) {
            message = t == null ? "request refused" : t.getMessage();
        } else {
            LOG.error("unexpected failure", t);
            status = 500;
            message = "internal error" + (t == null ? "" : ": " + t.getClass().getSimpleName());
        }
        refuse(ctx, status, message);
    }

    static boolean isV2(String path) {
        return path != null && (path.equals("/v2") || path.startsWith("/v2/"));
    }

    // whichever mapper answered, the Open Inference Protocol's error object is {"error"} alone
    @ServerResponseFilter
    public void v2ErrorBody(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getEntity() instanceof ErrorBody e
                && isV2("/" + request.getUriInfo().getPath().replaceFirst("^/", ""))) {
            response.setEntity(new V2Dto.ErrorBody(e.error()));
        }
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

    // more specific than Quarkus's own mapper for this type, which answers with an empty body
    @ServerExceptionMapper
    public Response wrongJsonShape(MismatchedInputException e) {
        return error(400, "JSON body must be {\"image\": \"<base64 JPEG or PNG>\"}: "
                + e.getOriginalMessage());
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
        if (e.getCause() instanceof JsonProcessingException json) {
            // Quarkus's JSON reader wraps parse errors in a bare 400
            return badJson(json);
        }
        if (status == 415) {
            message = "unsupported content type: send image/jpeg, image/png, application/json"
                    + " {\"image\": \"<base64>\"} or multipart/form-data";
        }
        return error(status, message);
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        if (e.getClass() == RuntimeException.class && e.getMessage() != null
                && e.getMessage().startsWith("Param limit of")) {
            // the multipart parser's plain RuntimeException for more parts than
            // quarkus.http.limits.max-parameters (1000)
            return error(413, "multipart body holds too many parts: " + e.getMessage());
        }
        LOG.error("unexpected error", e);
        return error(500, "internal error: " + e.getClass().getSimpleName());
    }
}
