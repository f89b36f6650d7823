package dev.cnnlab.tracker.run;

import dev.cnnlab.tracker.api.ApiException;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.persistence.Tuple;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Arrays;
import java.util.List;

@Path("/api/stats")
@Produces(MediaType.APPLICATION_JSON)
public class StatsResource {
    @Inject
    EntityManager em;

    public record BatchSizeAccuracy(String architecture, int batchSize, long runs, double mean, double std,
                                    double min, double max, List<Double> foldAccuracies) {
    }

    /** Fold accuracies of finished folds, grouped by (architecture, batch size), aggregated in SQL. */
    @GET
    @Path("accuracy-by-batch-size")
    public List<BatchSizeAccuracy> accuracyByBatchSize(@QueryParam("experiment") String experiment) {
        Long experimentId = null;
        if (experiment != null && !experiment.isBlank()) {
            try {
                experimentId = Long.parseLong(experiment.trim());
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("experiment must be an experiment id, got '" + experiment + "'");
            }
            if (em.find(dev.cnnlab.tracker.experiment.Experiment.class, experimentId) == null) {
                throw ApiException.notFound("experiment", experimentId);
            }
        }
        String sql = """
                SELECT r.architecture, r.batch_size, count(DISTINCT r.id) AS runs, avg(f.accuracy) AS mean,
                       coalesce(stddev_samp(f.accuracy), 0) AS std, min(f.accuracy) AS min, max(f.accuracy) AS max,
                       string_agg(f.accuracy::text, ',' ORDER BY r.id, f.fold_index) AS accuracies
                FROM runs r JOIN folds f ON f.run_id = r.id
                WHERE f.status = :succeeded AND f.accuracy IS NOT NULL
                """ + (experimentId == null ? "" : " AND r.experiment_id = :experiment") + """

                GROUP BY r.architecture, r.batch_size ORDER BY r.architecture, r.batch_size""";
        Query query = em.createNativeQuery(sql, Tuple.class).setParameter("succeeded", RunStatus.SUCCEEDED.name());
        if (experimentId != null) {
            query.setParameter("experiment", experimentId);
        }
        @SuppressWarnings("unchecked")
        List<Tuple> rows = query.getResultList();
        return rows.stream().map(t -> new BatchSizeAccuracy((String) t.get("architecture"),
                ((Number) t.get("batch_size")).intValue(), ((Number) t.get("runs")).longValue(),
                ((Number) t.get("mean")).doubleValue(), ((Number) t.get("std")).doubleValue(),
                ((Number) t.get("min")).doubleValue(), ((Number) t.get("max")).doubleValue(),
                Arrays.stream(((String) t.get("accuracies")).split(",")).map(Double::valueOf).toList())).toList();
    }
}
