package dev.cnnlab.tracker.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** {@code cnnlab.auth.*}: who may call the REST API. */
@ConfigMapping(prefix = "cnnlab.auth")
public interface AuthConfig {
    /** Whether to check tokens at all; false is for local development only (the %dev profile). */
    @WithDefault("true")
    boolean enabled();

    /** Whether GET requests need a token too. */
    @WithDefault("open")
    Read read();

    /** "name:secret,name:secret" (env CNNLAB_AUTH_TOKENS); none means every write is refused. */
    Optional<String> tokens();

    enum Read { OPEN, TOKEN }
}
