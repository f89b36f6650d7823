package dev.cnnlab.tracker.search;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/**
 * A run's score at an ASHA rung, recorded once (primary key run + rung), and what was decided:
 * null while the run waits at the rung, then PROMOTED or STOPPED, set once ({@link Promotions}).
 */
@Entity
@Table(name = "run_rungs")
@IdClass(RunRung.Key.class)
public class RunRung extends PanacheEntityBase {
    @Id
    @Column(name = "run_id")
    public Long runId;
    @Id
    public Integer rung;
    @Column(name = "experiment_id", nullable = false)
    public Long experimentId;
    @Column(nullable = false)
    public int epoch;
    @Column(nullable = false)
    public double score;
    /** 1 for the rung's first arrival in its experiment, 2 for the next, ...: the order decisions saw. */
    @Column(nullable = false)
    public int arrival;
    @Column(name = "arrived_at", nullable = false)
    public Instant arrivedAt;
    @Enumerated(EnumType.STRING)
    @Column(length = 16)
    public SuccessiveHalving.Decision decision;
    @Column(name = "decided_at")
    public Instant decidedAt;
    /** Who decided: the worker (host:pid:thread) or API token whose transaction took the decision. */
    @Column(name = "decided_by", length = 200)
    public String decidedBy;
    public String reason;

    /** The composite key. */
    public static class Key implements Serializable {
        public Long runId;
        public Integer rung;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(runId, k.runId) && Objects.equals(rung, k.rung);
        }

        @Override
        public int hashCode() {
            return Objects.hash(runId, rung);
        }
    }
}
