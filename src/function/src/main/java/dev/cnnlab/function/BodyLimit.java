package dev.cnnlab.function;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Reads the body of every HTTP/1 POST itself, before the REST layer, so that each refusal about
 * a body is JSON. A declared Content-Length above {@code quarkus.http.limits.max-body-size} is
 * refused with 413 before anything is read, a chunked body as soon as it passes the limit, a
 * POST without Content-Type with 415 (but for {@code /v2}, whose bodies are JSON), and a body not complete within {@code cnnlab.body-timeout}
 * with 408. (Quarkus enforces the limit too, but answers a chunked upload with an empty 413.)
 * The REST layer then takes the buffered body from the routing context. HTTP/2 bodies are left
 * to the REST layer (see {@link #readBody}), so an HTTP/2 POST must declare its length (411).
 */
@ApplicationScoped
public class BodyLimit {

    @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10M")
    MemorySize maxBodySize;

    @ConfigProperty(name = "cnnlab.body-timeout", defaultValue = "30s")
    Duration bodyTimeout;

    void install(@Observes Router router) {
        // Quarkus's own limit check runs at order -2; the load shedder sits between these two,
        // so that a request waiting for a prediction slot has not had its body read
        router.route().order(-5).handler(this::checkHeaders).failureHandler(ErrorMappers::failed);
        router.post().order(-3).handler(this::readBody);
    }

    private void checkHeaders(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        long limit = maxBodySize.asLongValue();
        long declared = declaredLength(request);
        if (declared > limit) {
            ErrorMappers.refuse(ctx, 413, "request body of " + declared
                    + " bytes exceeds the limit of " + limit + " bytes");
        } else if (request.method() == HttpMethod.POST && declared < 0
                && request.version() == HttpVersion.HTTP_2) {
            // HTTP/2 bodies are read by the REST layer (see readBody), under a limit that only
            // a declared length lets us enforce with a JSON answer
            ErrorMappers.refuse(ctx, 411, "HTTP/2 requests must declare their Content-Length");
        } else if (request.method() == HttpMethod.POST && request.getHeader("Content-Type") == null
                // a V2 body is JSON whatever it says, and tritonclient sends no Content-Type
                && !ErrorMappers.isV2(request.path())) {
            ErrorMappers.refuse(ctx, 415, "missing Content-Type: send image/jpeg, image/png,"
                    + " application/json {\"image\": \"<base64>\"} or multipart/form-data");
        } else {
            ctx.next();
        }
    }

    private void readBody(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (request.version() == HttpVersion.HTTP_2) {
            // the REST layer pauses the request first thing, which an HTTP/2 request that was
            // read to its end refuses with an exception; so it reads HTTP/2 bodies itself, whose
            // declared length checkHeaders has held against the limit
            ctx.next();
            return;
        }
        long limit = maxBodySize.asLongValue();
        Buffer body = Buffer.buffer();
        long timer = ctx.vertx().setTimer(bodyTimeout.toMillis(), id -> ErrorMappers.refuse(ctx,
                408, "request body not complete after " + bodyTimeout.toMillis() + " ms"));
        request.handler(chunk -> {
            if (ctx.response().ended()) {
                return;
            }
            if (body.length() + (long) chunk.length() > limit) {
                ctx.vertx().cancelTimer(timer);
                ErrorMappers.refuse(ctx, 413, "request body exceeds the limit of " + limit
                        + " bytes");
                return;
            }
            body.appendBuffer(chunk);
        });
        request.endHandler(v -> {
            ctx.vertx().cancelTimer(timer);
            if (!ctx.response().ended()) {
                ctx.setBody(body);
                ctx.next();
            }
        });
        if ("100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
            ctx.response().writeContinue();
        }
        request.resume();
    }

    private static long declaredLength(HttpServerRequest request) {
        String length = request.getHeader("Content-Length");
        try {
            return length == null ? -1 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
