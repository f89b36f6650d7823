package dev.cnnlab.tracker.run;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** Read side of epoch_metrics; rows are written by an upsert in the job package. */
@Entity
@Table(name = "epoch_metrics")
public class EpochMetric extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "fold_id", nullable = false)
    public Long foldId;
    @Column(nullable = false)
    public int epoch;
    @Column(name = "train_loss")
    public Double trainLoss;
    @Column(name = "train_accuracy")
    public Double trainAccuracy;
    @Column(name = "val_loss")
    public Double valLoss;
    @Column(name = "val_accuracy")
    public Double valAccuracy;
    @Column(name = "learning_rate")
    public Double learningRate;
    public Double seconds;
    @Column(name = "images_per_sec")
    public Double imagesPerSec;
    @Column(name = "recorded_at", nullable = false)
    public Instant recordedAt;
}
