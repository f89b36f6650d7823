package dev.cnnlab.tracker.run;

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
import java.util.List;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

@Entity
@Table(name = "runs")
public class Run extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "experiment_id", nullable = false)
    public Long experimentId;

    @Column(nullable = false, length = 100)
    public String architecture;
    @Column(name = "batch_size", nullable = false)
    public int batchSize;
    @Column(name = "learning_rate", nullable = false)
    public double learningRate;
    @Column(nullable = false)
    public String optimizer;
    @Column(nullable = false)
    public String schedule;
    @Column(name = "weight_decay", nullable = false)
    public double weightDecay;
    @Column(nullable = false)
    public int epochs;
    @Column(nullable = false)
    public int folds;
    @Column(nullable = false)
    public String augmentation;
    @Column(nullable = false)
    public long seed;

    /** Every resolved training setting of this run, including dataset, subset and held-out size. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public Map<String, Object> hyperparameters;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public RunStatus status = RunStatus.QUEUED;

    @Column(length = 100)
    public String backend;
    @Column(length = 200)
    public String device;
    @Column(length = 200)
    public String host;
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> environment;
    @JdbcTypeCode(SqlTypes.JSON)
    public List<String> labels;

    @Column(name = "started_at")
    public Instant startedAt;
    @Column(name = "finished_at")
    public Instant finishedAt;
    @Column(name = "mean_accuracy")
    public Double meanAccuracy;
    @Column(name = "std_accuracy")
    public Double stdAccuracy;
    @Column(name = "test_accuracy")
    public Double testAccuracy;
    @Column(name = "images_per_sec")
    public Double imagesPerSec;
    @Column(name = "duration_seconds")
    public Double durationSeconds;
    public String error;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
    @Column(name = "created_by", length = 200)
    public String createdBy;
    /** The API token name that cancelled the run. */
    @Column(name = "cancelled_by", length = 200)
    public String cancelledBy;
    /** Why a run stopped before its last fold without failing (a PRUNED run), else null. */
    @Column(name = "stop_reason")
    public String stopReason;
}
