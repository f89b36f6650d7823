package dev.cnnlab.tracker.study;

import dev.cnnlab.tracker.api.ApiException;
import dev.cnnlab.tracker.experiment.Experiment;
import dev.cnnlab.tracker.run.Run;
import dev.cnnlab.tracker.run.RunStatus;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/experiments/{id}/views/...}: the charts of an experiment page, computed here so every
 * view sums folds up the same way ({@link SummaryMetric}, {@code ?metric=}) and names how.
 */
@Path("/api/experiments/{id}/views")
@Produces(MediaType.APPLICATION_JSON)
public class ExperimentViewsResource {

    /** The chart of any swept field; {@code varying} lists the fields that can go on its axes. */
    public record ByField(long experimentId, SummaryMetric.View metric, String x, String series, List<String> varying,
                          List<AccuracyByField.Point> points) {
    }

    /** One polyline of the parallel coordinates: the run's varying fields, then its score. */
    public record Line(long runId, String label, Map<String, Object> values, Double mean, Double std, int folds) {
    }

    /** Parallel coordinates: one axis per varying field (schema order) and the score. */
    public record Parallel(long experimentId, SummaryMetric.View metric, List<String> fields, List<Line> runs) {
    }

    /** A run's accuracy after each epoch against wall time and images seen. */
    public record RunCurve(long runId, String label, RunStatus status, List<TimeToAccuracy.Point> points) {
    }

    public record Progress(long experimentId, List<RunCurve> runs) {
    }

    /** A training field that varies between the experiment's runs, with its distinct values in order. */
    public record VaryingField(String name, List<Object> values) {
    }

    /** The fields a table can filter and group the experiment's runs by. */
    @GET
    @Path("fields")
    public List<VaryingField> fields(@PathParam("id") long experimentId) {
        List<Map<String, Object>> hps = runs(experimentId).stream().map(r -> r.hyperparameters).toList();
        return Fields.varying(hps).stream().map(f -> new VaryingField(f, hps.stream().map(hp -> Fields.value(hp, f))
                .distinct().sorted(Fields.VALUE_ORDER).toList())).toList();
    }

    /**
     * x: the field on the x axis (default batchSize when it varies, else the first varying field);
     * series: one line per value of this field (default architecture when it varies; "none" for one line).
     */
    @GET
    @Path("accuracy-by")
    public ByField accuracyBy(@PathParam("id") long experimentId, @QueryParam("x") String x,
                              @QueryParam("series") String series, @QueryParam(SummaryMetric.PARAM) String metricText) {
        SummaryMetric metric = SummaryMetric.parse(metricText);
        List<Run> runs = runs(experimentId);
        List<String> varying = Fields.varying(runs.stream().map(r -> r.hyperparameters).toList());
        String xField = Fields.check("x", x, varying.contains("batchSize") || varying.isEmpty() ? "batchSize"
                : varying.get(0));
        String seriesField = "none".equals(series) ? null : Fields.check("series", series,
                varying.contains("architecture") && !xField.equals("architecture") ? "architecture" : null);
        if (xField.equals(seriesField)) {
            throw ApiException.badRequest("x and series are both '" + xField + "'; choose two different fields");
        }
        return new ByField(experimentId, metric.view(), xField, seriesField, varying,
                AccuracyByField.of(scores(runs, metric), xField, seriesField));
    }

    @GET
    @Path("parallel")
    public Parallel parallel(@PathParam("id") long experimentId, @QueryParam(SummaryMetric.PARAM) String metricText) {
        SummaryMetric metric = SummaryMetric.parse(metricText);
        List<Run> runs = runs(experimentId);
        List<String> varying = Fields.varying(runs.stream().map(r -> r.hyperparameters).toList());
        List<Line> lines = scores(runs, metric).stream().filter(r -> !r.scores().isEmpty()).map(r -> {
            Map<String, Object> values = new LinkedHashMap<>();
            varying.forEach(f -> values.put(f, Fields.value(r.hyperparameters(), f)));
            return new Line(r.runId(), Fields.label(r.runId(), r.hyperparameters(), varying), values, r.mean(), r.std(),
                    r.scores().size());
        }).toList();
        return new Parallel(experimentId, metric.view(), varying, lines);
    }

    @GET
    @Path("progress")
    public Progress progress(@PathParam("id") long experimentId) {
        List<Run> runs = runs(experimentId);
        List<String> varying = Fields.varying(runs.stream().map(r -> r.hyperparameters).toList());
        Map<Long, List<FoldRecord>> folds = FoldRecord.load(runs.stream().map(r -> r.id).toList());
        return new Progress(experimentId, runs.stream().map(r -> new RunCurve(r.id,
                Fields.label(r.id, r.hyperparameters, varying), r.status, TimeToAccuracy.of(folds.get(r.id)))).toList());
    }

    private static List<Run> runs(long experimentId) {
        if (Experiment.findById(experimentId) == null) {
            throw ApiException.notFound("experiment", experimentId);
        }
        return Run.list("experimentId = ?1 order by id", experimentId);
    }

    private static List<RunScores> scores(List<Run> runs, SummaryMetric metric) {
        Map<Long, Map<Integer, Double>> scores = FoldRecord.scores(FoldRecord.load(runs.stream().map(r -> r.id).toList()),
                metric);
        return runs.stream().map(r -> new RunScores(r.id, r.hyperparameters, scores.get(r.id))).toList();
    }
}
