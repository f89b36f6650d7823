package dev.cnnlab.tracker.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.persistence.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Date;
import java.util.Map;

/**
 * One row of the runs table as the UI lists it; progress = epochs done / epochs planned;
 * hyperparameters = every stored training setting, so a table can group by any field.
 */
public record RunSummary(Long id, Long experimentId, String architecture, Integer batchSize, String optimizer,
                         Double learningRate, Integer epochs, Integer folds, String augmentation, Long seed,
                         String status, Double progress, Double meanAccuracy, Double stdAccuracy,
                         Double testAccuracy, Double imagesPerSec, Double durationSeconds, Instant startedAt,
                         Instant finishedAt, String error, Map<String, Object> hyperparameters) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static RunSummary of(Tuple t) {
        return new RunSummary(asLong(t.get("id")), asLong(t.get("experiment_id")), (String) t.get("architecture"),
                asInt(t.get("batch_size")), (String) t.get("optimizer"), asDouble(t.get("learning_rate")),
                asInt(t.get("epochs")), asInt(t.get("folds")), (String) t.get("augmentation"), asLong(t.get("seed")),
                (String) t.get("status"), asDouble(t.get("progress")), asDouble(t.get("mean_accuracy")),
                asDouble(t.get("std_accuracy")), asDouble(t.get("test_accuracy")),
                asDouble(t.get("images_per_sec")), asDouble(t.get("duration_seconds")),
                asInstant(t.get("started_at")), asInstant(t.get("finished_at")), (String) t.get("error"),
                json((String) t.get("hyperparameters_json")));
    }

    private static Map<String, Object> json(String text) {
        try {
            return text == null ? null : JSON.readValue(text, new TypeReference<Map<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("runs.hyperparameters is not a JSON object: " + e.getMessage(), e);
        }
    }

    static Long asLong(Object o) {
        return o == null ? null : ((Number) o).longValue();
    }

    static Integer asInt(Object o) {
        return o == null ? null : ((Number) o).intValue();
    }

    static Double asDouble(Object o) {
        return o == null ? null : ((Number) o).doubleValue();
    }

    static Instant asInstant(Object o) {
        if (o == null || o instanceof Instant) {
            return (Instant) o;
        }
        if (o instanceof OffsetDateTime odt) {
            return odt.toInstant();
        }
        return ((Date) o).toInstant();
    }
}
