package dev.cnnlab.tracker.auth;

import dev.cnnlab.tracker.api.ErrorBody;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Checks the API token of every REST request (all resources live under /api; the UI's static files
 * and /q/health stay open). Writes need a token: every method but GET, HEAD and OPTIONS, except
 * endpoints marked {@link ReadOnly} such as POST /api/predict. Reads need one only with
 * {@code cnnlab.auth.read=token}; otherwise a read's token is not even looked at. The token's name
 * becomes the request's {@link Caller}.
 */
public class AccessFilter {
    static final Set<String> READ_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    static final String HOW = "send 'Authorization: Bearer <secret>' with a token configured in cnnlab.auth.tokens"
            + " (env CNNLAB_AUTH_TOKENS=name:secret)";

    @Inject
    AuthConfig config;
    @Inject
    ApiTokens tokens;
    @Inject
    Caller caller;

    // Not pre-matching: it runs on the resource's worker thread, where the token lookup may block.
    @ServerRequestFilter
    public Response check(ContainerRequestContext request, ResourceInfo resource) {
        boolean read = READ_METHODS.contains(request.getMethod())
                || resource.getResourceMethod().isAnnotationPresent(ReadOnly.class);
        if (!config.enabled() || (read && config.read() == AuthConfig.Read.OPEN)) {
            return null;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || header.isBlank()) {
            return refuse((read ? "reading" : "this write (" + request.getMethod() + ")") + " needs an API token");
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return refuse("the Authorization header must be 'Bearer <secret>'");
        }
        Optional<String> name = tokens.authenticate(header.substring(7).trim());
        if (name.isEmpty()) {
            return refuse("unknown or revoked API token");
        }
        caller.set(name.get());
        return null;
    }

    /** 401 with the problem and what to do about it. */
    private Response refuse(String problem) {
        String how = tokens.anyActive() ? HOW
                : "this tracker has no API token configured: set CNNLAB_AUTH_TOKENS=name:secret (see README, Security)";
        return Response.status(401).type(MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"cnnlab\"")
                .entity(new ErrorBody(401, problem + "; " + how)).build();
    }
}
