package dev.cnnlab.tracker.experiment;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** An experiment as the API returns it; spec only on GET by id, runIds only after POST. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExperimentView(Long id, String name, String description, String dataset, Instant createdAt,
                             String createdBy, long runCount, Map<String, Long> runsByStatus,
                             Map<String, Object> spec, List<Long> runIds) {
}
