package dev.cnnlab.tracker.job;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "jobs")
public class Job extends PanacheEntityBase {
    public enum Kind { FOLD, FINAL_FIT }

    public enum State { QUEUED, RUNNING, DONE, FAILED, CANCELLED }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(nullable = false, length = 16)
    public String kind;
    @Column(name = "run_id", nullable = false)
    public Long runId;
    @Column(name = "fold_index")
    public Integer foldIndex;
    @Column(nullable = false, length = 16)
    public String state = State.QUEUED.name();
    @Column(nullable = false)
    public int attempts;
    @Column(name = "max_attempts", nullable = false)
    public int maxAttempts;
    @Column(name = "lease_owner", length = 200)
    public String leaseOwner;
    @Column(name = "lease_expires_at")
    public Instant leaseExpiresAt;
    @Column(name = "heartbeat_at")
    public Instant heartbeatAt;
    @Column(name = "cancel_requested", nullable = false)
    public boolean cancelRequested;
    public String error;
    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
    @Column(name = "created_by", length = 200)
    public String createdBy;

    public static Job fold(long runId, int foldIndex, int maxAttempts) {
        Job job = new Job();
        job.kind = Kind.FOLD.name();
        job.runId = runId;
        job.foldIndex = foldIndex;
        job.maxAttempts = maxAttempts;
        job.createdAt = Instant.now();
        job.updatedAt = job.createdAt;
        return job;
    }
}
