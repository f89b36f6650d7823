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
@Table(name = "folds")
public class Fold extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "run_id", nullable = false)
    public Long runId;
    @Column(name = "fold_index", nullable = false)
    public int foldIndex;
    @Column(name = "train_size")
    public Integer trainSize;
    @Column(name = "val_size")
    public Integer valSize;
    @Column(name = "best_epoch")
    public Integer bestEpoch;
    public Double accuracy;
    public Double loss;
    /** [{label, precision, recall, f1}] on the validation split. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "per_class")
    public List<Map<String, Object>> perClass;
    /** confusion[actual][predicted] counts on the validation split. */
    @JdbcTypeCode(SqlTypes.JSON)
    public List<List<Integer>> confusion;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public RunStatus status = RunStatus.QUEUED;
    public Double seconds;
    @Column(name = "images_per_sec")
    public Double imagesPerSec;
    public String error;
    @Column(name = "started_at")
    public Instant startedAt;
    @Column(name = "finished_at")
    public Instant finishedAt;

    public static Fold of(long runId, int foldIndex) {
        Fold fold = new Fold();
        fold.runId = runId;
        fold.foldIndex = foldIndex;
        return fold;
    }
}
