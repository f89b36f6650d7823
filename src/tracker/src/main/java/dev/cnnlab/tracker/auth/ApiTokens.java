package dev.cnnlab.tracker.auth;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The API tokens. They are configured as {@code cnnlab.auth.tokens=name:secret,...} and stored at
 * start-up in {@code api_tokens} as the SHA-256 of the secret; a name no longer configured is
 * revoked, so the configuration stays the source of truth. A request's secret is looked up by its
 * hash: nothing compares secrets, so timing reveals nothing about them. No secret is ever stored,
 * logged or put in an error message; configuration errors name the entry by position only, in case
 * name and secret were swapped.
 *
 * <p>Only the process that migrates the schema ({@code quarkus.flyway.migrate-at-start}, the API)
 * stores the tokens; worker processes check requests against what it stored, so a worker started
 * without the tokens cannot revoke them.
 */
@ApplicationScoped
public class ApiTokens {
    private static final Logger LOG = Logger.getLogger(ApiTokens.class);
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,200}");
    static final int MIN_SECRET_LENGTH = 16;

    /** A configured token: its name and the hex SHA-256 of its secret. */
    public record Configured(String name, String sha256) {
    }

    @Inject
    AuthConfig config;
    @ConfigProperty(name = "quarkus.flyway.migrate-at-start", defaultValue = "false")
    boolean ownsSchema;
    @Inject
    EntityManager em;

    void onStart(@Observes StartupEvent event) {
        if (!config.enabled()) {
            LOG.warn("cnnlab.auth.enabled=false: the REST API accepts writes from anyone; use this for local"
                    + " development only");
        }
        if (!ownsSchema) {
            LOG.infof("API tokens: requests are checked against the stored ones%s", config.tokens().isPresent()
                    ? "; cnnlab.auth.tokens is ignored here: the process that migrates the schema stores them" : "");
            return;
        }
        sync(config.tokens().orElse(""));
        if (config.enabled() && config.tokens().isEmpty()) {
            LOG.warn("no API token configured: every write over HTTP is refused; set CNNLAB_AUTH_TOKENS=name:secret"
                    + " (see README, Security)");
        }
    }

    /** Parses "name:secret,name:secret"; blank means none. */
    public static List<Configured> parse(String tokens) {
        List<Configured> parsed = new ArrayList<>();
        String[] entries = tokens.split(",");
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].trim();
            if (entry.isEmpty()) {
                continue;
            }
            String where = "cnnlab.auth.tokens entry " + (i + 1) + " of " + entries.length;
            int colon = entry.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException(where + " is not name:secret");
            }
            String name = entry.substring(0, colon).trim();
            String secret = entry.substring(colon + 1).trim();
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(where + ": the name must be 1 to 200 letters, digits or ._@-");
            }
            if (secret.length() < MIN_SECRET_LENGTH || secret.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException(where + ": the secret must be at least " + MIN_SECRET_LENGTH
                        + " characters without spaces, e.g. from `openssl rand -hex 32`");
            }
            parsed.add(new Configured(name, sha256(secret)));
        }
        if (parsed.stream().map(Configured::name).distinct().count() < parsed.size()) {
            throw new IllegalArgumentException("cnnlab.auth.tokens names a token twice");
        }
        if (parsed.stream().map(Configured::sha256).distinct().count() < parsed.size()) {
            throw new IllegalArgumentException("cnnlab.auth.tokens gives two tokens the same secret");
        }
        return parsed;
    }

    /** Makes api_tokens hold exactly these tokens: new ones added, changed secrets replaced, the rest revoked. */
    @Transactional
    public void sync(String tokens) {
        List<Configured> wanted = parse(tokens);
        Map<String, String> hashByName = wanted.stream()
                .collect(Collectors.toMap(Configured::name, Configured::sha256));
        Set<String> hashes = new HashSet<>(hashByName.values());
        Instant now = Instant.now();
        List<String> revoked = new ArrayList<>();
        Set<String> kept = new HashSet<>();
        for (ApiToken stored : ApiToken.<ApiToken>listAll()) {
            String hash = hashByName.get(stored.name);
            if (stored.sha256.equals(hash)) {
                stored.revokedAt = null;
                kept.add(stored.name);
            } else if (hash != null || hashes.contains(stored.sha256)) {
                // a new secret for this name, or this secret now under another name: replaced below
                stored.delete();
            } else if (stored.revokedAt == null) {
                stored.revokedAt = now;
                revoked.add(stored.name);
            }
        }
        em.flush(); // deletes first, or a re-inserted hash would clash with uq_api_tokens_hash
        for (Configured token : wanted) {
            if (!kept.contains(token.name())) {
                ApiToken added = new ApiToken();
                added.name = token.name();
                added.sha256 = token.sha256();
                added.createdAt = now;
                added.persist();
            }
        }
        LOG.infof("API tokens: %d configured %s, %d revoked %s", wanted.size(),
                wanted.stream().map(Configured::name).toList(), revoked.size(), revoked);
    }

    /** The name of the active token with this secret, if any; notes when it was last used. */
    @Transactional
    public Optional<String> authenticate(String secret) {
        Optional<ApiToken> token = ApiToken.find("sha256 = ?1 and revokedAt is null", sha256(secret))
                .firstResultOptional();
        token.ifPresent(t -> t.lastUsedAt = Instant.now());
        return token.map(t -> t.name);
    }

    /** Whether any token is active, to tell "no token configured" apart from "wrong token". */
    public boolean anyActive() {
        return ApiToken.count("revokedAt is null") > 0;
    }

    /** Lower-case hex SHA-256 of the UTF-8 bytes, as stored in api_tokens.token_sha256. */
    public static String sha256(String secret) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
