package dev.cnnlab.function;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Answers a declared Content-Length above {@code quarkus.http.limits.max-body-size} with a JSON
 * 413 before the body is read. Quarkus would answer 413 too, but with a plain-text body; a
 * chunked upload without Content-Length still gets Quarkus's own 413 when it passes the limit.
 */
@ApplicationScoped
public class BodyLimit {

    void install(@Observes Router router) {
        long limit = ConfigProvider.getConfig()
                .getOptionalValue("quarkus.http.limits.max-body-size", MemorySize.class)
                .map(MemorySize::asLongValue).orElse(10L * 1024 * 1024);
        // order -3 runs before Quarkus's own limit check (order -2)
        router.route().order(-3).handler(ctx -> {
            String length = ctx.request().getHeader("Content-Length");
            long declared;
            try {
                declared = length == null ? -1 : Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                declared = -1;
            }
            if (declared > limit) {
                ctx.response().setStatusCode(413)
                        .putHeader("Content-Type", "application/json")
                        .putHeader("Connection", "close")
                        .end("{\"code\":413,\"error\":\"request body of " + declared
                                + " bytes exceeds the limit of " + limit + " bytes\"}");
                return;
            }
            ctx.next();
        });
    }
}
