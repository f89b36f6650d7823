package dev.cnnlab.tracker.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A model file in the model store, with where it came from and how it scored. */
@Entity
@Table(name = "models")
public class Model extends PanacheEntityBase {
    public enum Stage { NONE, SERVED, ARCHIVED }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "run_id")
    public Long runId;
    @Column(nullable = false, length = 200)
    public String name;
    @Column(nullable = false)
    public int version;
    @Column(nullable = false)
    public String path;
    @Column(nullable = false, length = 64)
    public String sha256;
    @Column(name = "size_bytes", nullable = false)
    public long sizeBytes;
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> metrics;
    @JdbcTypeCode(SqlTypes.JSON)
    public List<String> labels;
    @Column(nullable = false, length = 16)
    public String stage = Stage.NONE.name();
    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
    @Column(name = "created_by", length = 200)
    public String createdBy;
    /** Who last promoted the model to SERVED (an API token name), and when. */
    @Column(name = "promoted_by", length = 200)
    public String promotedBy;
    @Column(name = "promoted_at")
    public Instant promotedAt;
}
