package dev.cnnlab.tracker.run;

import dev.cnnlab.tracker.api.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.persistence.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The run list in SQL: filters, sorting on any summary field (progress included, hence SQL rather
 * than JPQL) and paging, with the sort key checked against a whitelist before it reaches the query.
 */
@ApplicationScoped
public class RunQueries {
    static final String SUMMARY_SQL = """
            SELECT r.id, r.experiment_id, r.architecture, r.batch_size, r.optimizer, r.learning_rate, r.epochs,
                   r.folds, r.augmentation, r.seed, r.status,
                   CASE WHEN r.status = '%s' THEN 1.0
                        ELSE LEAST(1.0, (SELECT count(*) FROM epoch_metrics m JOIN folds f ON f.id = m.fold_id
                                         WHERE f.run_id = r.id)::float8 / (r.epochs * r.folds)) END AS progress,
                   r.mean_accuracy, r.std_accuracy, r.test_accuracy, r.images_per_sec, r.duration_seconds,
                   r.started_at, r.finished_at, r.error, r.hyperparameters::text AS hyperparameters_json
            FROM runs r""".formatted(RunStatus.SUCCEEDED);
    static final Map<String, String> SORT_COLUMNS = new LinkedHashMap<>();

    static {
        for (var c : RunSummary.class.getRecordComponents()) {
            if (!c.getName().equals("hyperparameters")) {
                SORT_COLUMNS.put(c.getName(), c.getName().replaceAll("([A-Z])", "_$1").toLowerCase());
            }
        }
    }

    @Inject
    EntityManager em;

    /** fields: training fields (other than the columns above) that must equal these JSON values. */
    public record Filter(Long experiment, String architecture, Integer batchSize, String status,
                         Map<String, Object> fields) {
        public Filter(Long experiment, String architecture, Integer batchSize, String status) {
            this(experiment, architecture, batchSize, status, Map.of());
        }
    }

    public record Page(List<RunSummary> items, long total, int page, int size) {
    }

    public Page list(Filter filter, String sort, int page, int size) {
        List<String> where = new ArrayList<>();
        Map<String, Object> params = new LinkedHashMap<>();
        if (filter.experiment() != null) {
            where.add("experiment_id = :experiment");
            params.put("experiment", filter.experiment());
        }
        if (filter.architecture() != null) {
            where.add("architecture = :architecture");
            params.put("architecture", filter.architecture());
        }
        if (filter.batchSize() != null) {
            where.add("batch_size = :batchSize");
            params.put("batchSize", filter.batchSize());
        }
        if (filter.status() != null) {
            where.add("status = :status");
            params.put("status", filter.status());
        }
        int i = 0;
        for (var e : filter.fields().entrySet()) {
            // the stored JSON value as text: 0.005 -> '0.005', "crop-flip" -> 'crop-flip'; numbers compared as numbers
            String value = "({hp} ->> :k" + i + ")";
            where.add(e.getValue() instanceof Number ? value + "::float8 = :v" + i : value + " = :v" + i);
            params.put("k" + i, e.getKey());
            params.put("v" + i, e.getValue() instanceof Number n ? (Object) n.doubleValue() : String.valueOf(e.getValue()));
            i++;
        }
        String whereSql = where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where);
        String sql = "SELECT * FROM (" + SUMMARY_SQL + ") s" + whereSql.replace("{hp}", "hyperparameters_json::jsonb")
                + orderBy(sort);
        Query query = em.createNativeQuery(sql, Tuple.class).setFirstResult(page * size).setMaxResults(size);
        Query count = em.createNativeQuery("SELECT count(*) FROM runs" + whereSql.replace("{hp}", "hyperparameters"));
        params.forEach((k, v) -> {
            query.setParameter(k, v);
            count.setParameter(k, v);
        });
        @SuppressWarnings("unchecked")
        List<Tuple> rows = query.getResultList();
        long total = ((Number) count.getSingleResult()).longValue();
        return new Page(rows.stream().map(RunSummary::of).toList(), total, page, size);
    }

    /** The summaries of the given runs, in the order asked; 404 names the first missing id. */
    public List<RunSummary> summaries(List<Long> ids) {
        @SuppressWarnings("unchecked")
        List<Tuple> rows = em.createNativeQuery(SUMMARY_SQL + " WHERE r.id IN (:ids)", Tuple.class)
                .setParameter("ids", ids).getResultList();
        Map<Long, RunSummary> byId = new LinkedHashMap<>();
        rows.stream().map(RunSummary::of).forEach(s -> byId.put(s.id(), s));
        List<RunSummary> ordered = new ArrayList<>();
        for (Long id : ids) {
            RunSummary summary = byId.get(id);
            if (summary == null) {
                throw ApiException.notFound("run", id);
            }
            ordered.add(summary);
        }
        return ordered;
    }

    public RunSummary summary(long id) {
        return summaries(List.of(id)).get(0);
    }

    /** "meanAccuracy,-batchSize" -> ORDER BY mean_accuracy ASC NULLS LAST, batch_size DESC NULLS LAST, id. */
    static String orderBy(String sort) {
        List<String> terms = new ArrayList<>();
        if (sort != null && !sort.isBlank()) {
            for (String key : sort.split(",")) {
                String k = key.trim();
                boolean desc = k.startsWith("-");
                String field = desc || k.startsWith("+") ? k.substring(1) : k;
                String column = SORT_COLUMNS.get(field);
                if (column == null && RunSettings.isTrainingField(field)) {
                    column = "(hyperparameters_json::jsonb -> '" + field + "')"; // a schema name, never user text
                }
                if (column == null) {
                    throw ApiException.badRequest("unknown sort key '" + field + "', known: " + SORT_COLUMNS.keySet()
                            + " and the training fields " + RunSettings.trainingFields());
                }
                terms.add(column + (desc ? " DESC" : " ASC") + " NULLS LAST");
            }
        }
        terms.add("id ASC");
        return " ORDER BY " + String.join(", ", terms);
    }
}
