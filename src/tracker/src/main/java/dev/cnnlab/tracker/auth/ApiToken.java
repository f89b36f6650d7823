package dev.cnnlab.tracker.auth;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A configured API token: its name and the SHA-256 of its secret, never the secret itself. */
@Entity
@Table(name = "api_tokens")
public class ApiToken extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(nullable = false, length = 200)
    public String name;
    @Column(name = "token_sha256", nullable = false, length = 64)
    public String sha256;
    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
    @Column(name = "last_used_at")
    public Instant lastUsedAt;
    /** Set when the token left the configuration; a revoked token is refused. */
    @Column(name = "revoked_at")
    public Instant revokedAt;
}
