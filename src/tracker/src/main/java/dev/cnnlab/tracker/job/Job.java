package dev.cnnlab.tracker.job;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One unit of work for a worker: a fold of a run, or a run's final fit. Its transitions live in {@link Lifecycle}. */
@Entity
@Table(name = "jobs")
public class Job extends PanacheEntityBase {
    public enum Kind { FOLD, FINAL_FIT }

    public enum State { QUEUED, RUNNING, DONE, FAILED, CANCELLED }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public Kind kind;
    @Column(name = "run_id", nullable = false)
    public Long runId;
    @Column(name = "fold_index")
    public Integer foldIndex;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public State state = State.QUEUED;
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
    /** The epoch a fold job trains up to: its run's current ASHA rung; null for the run's last epoch. */
    @Column(name = "target_epoch")
    public Integer targetEpoch;

    public static Job fold(long runId, int foldIndex, int maxAttempts) {
        return of(Kind.FOLD, runId, foldIndex, maxAttempts);
    }

    static Job of(Kind kind, long runId, Integer foldIndex, int maxAttempts) {
        Job job = new Job();
        job.kind = kind;
        job.runId = runId;
        job.foldIndex = foldIndex;
        job.maxAttempts = maxAttempts;
        job.createdAt = Instant.now();
        job.updatedAt = job.createdAt;
        return job;
    }
}
