package dev.cnnlab.tracker.study;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The paper's chart for any swept field: fold scores grouped by the value of one field (the x axis)
 * and, optionally, of a second (one line each), with the spread over folds. Runs that differ only in
 * other fields fall into the same point, as the batch-size chart pooled learning rates.
 */
public final class AccuracyByField {
    private AccuracyByField() {
    }

    /**
     * One point of the chart.
     *
     * @param x the x field's value
     * @param series the series field's value (null without a series field)
     * @param runIds the runs pooled in it
     * @param foldScores every finished fold's score of those runs, run by run in fold order
     */
    public record Point(Object x, Object series, List<Long> runIds, double mean, double std, double min, double max,
                        List<Double> foldScores) {
    }

    /** The points, ordered by series then x; runs without a finished fold are left out. */
    public static List<Point> of(List<RunScores> runs, String xField, String seriesField) {
        Map<List<Object>, List<RunScores>> groups = new LinkedHashMap<>();
        for (RunScores r : runs) {
            if (r.scores().isEmpty()) {
                continue;
            }
            Object x = Fields.value(r.hyperparameters(), xField);
            Object s = seriesField == null ? null : Fields.value(r.hyperparameters(), seriesField);
            groups.computeIfAbsent(java.util.Arrays.asList(s, x), k -> new ArrayList<>()).add(r);
        }
        List<Point> points = new ArrayList<>();
        groups.forEach((key, members) -> {
            List<Double> scores = members.stream().flatMap(r -> r.scores().values().stream()).toList();
            points.add(new Point(key.get(1), key.get(0), members.stream().map(RunScores::runId).toList(),
                    Stats.mean(scores), Stats.std(scores),
                    scores.stream().mapToDouble(Double::doubleValue).min().orElseThrow(),
                    scores.stream().mapToDouble(Double::doubleValue).max().orElseThrow(), scores));
        });
        points.sort(Comparator.comparing(Point::series, Fields.VALUE_ORDER).thenComparing(Point::x, Fields.VALUE_ORDER));
        return points;
    }
}
