package dev.cnnlab.tracker.study;

import dev.cnnlab.tracker.api.ApiException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a fold's validation accuracy is summed up in one number: at its best epoch (what the worker
 * records as the fold's accuracy, and the default), at its last epoch, or the mean of its last n
 * epochs. Every view that shows a fold or run accuracy takes it as {@code ?metric=} and names it in
 * its answer, so no view is silently "last" (or silently "best").
 *
 * @param kind which epochs count
 * @param n how many last epochs are averaged ({@link Kind#MEAN_LAST} only; 1 otherwise)
 */
public record SummaryMetric(Kind kind, int n) {
    /** The query parameter every view reads it from. */
    public static final String PARAM = "metric";
    public static final SummaryMetric BEST = new SummaryMetric(Kind.BEST, 1);
    static final int MAX_N = 1000;
    private static final Pattern MEAN_LAST = Pattern.compile("mean-last-(\\d{1,9})");

    public enum Kind { BEST, LAST, MEAN_LAST }

    /** "best" (or nothing), "last", "mean-last-3"; anything else is a 400 that lists the choices. */
    public static SummaryMetric parse(String text) {
        if (text == null || text.isBlank() || text.trim().equals("best")) {
            return BEST;
        }
        String t = text.trim();
        if (t.equals("last")) {
            return new SummaryMetric(Kind.LAST, 1);
        }
        Matcher m = MEAN_LAST.matcher(t);
        if (m.matches()) {
            int n = Integer.parseInt(m.group(1));
            if (n < 1 || n > MAX_N) {
                throw ApiException.badRequest(PARAM + " mean-last-N needs N between 1 and " + MAX_N + ", got " + n);
            }
            return n == 1 ? new SummaryMetric(Kind.LAST, 1) : new SummaryMetric(Kind.MEAN_LAST, n);
        }
        throw ApiException.badRequest(PARAM + " must be 'best', 'last' or 'mean-last-N' (e.g. mean-last-3), got '"
                + text + "'");
    }

    /** The value of {@code ?metric=} that gives this metric back. */
    public String key() {
        return switch (kind) {
            case BEST -> "best";
            case LAST -> "last";
            case MEAN_LAST -> "mean-last-" + n;
        };
    }

    /** What a person reads beside the number, e.g. "mean of the last 3 epochs". */
    public String title() {
        return switch (kind) {
            case BEST -> "best epoch";
            case LAST -> "last epoch";
            case MEAN_LAST -> "mean of the last " + n + " epochs";
        };
    }

    /**
     * The fold's summary.
     *
     * @param recordedBest the accuracy the worker recorded for the fold (at its best epoch)
     * @param byEpoch validation accuracy of each recorded epoch, in epoch order (nulls skipped)
     * @return the summary, or null when the fold has nothing to summarise
     */
    public Double of(Double recordedBest, List<Double> byEpoch) {
        List<Double> values = byEpoch.stream().filter(v -> v != null && Double.isFinite(v)).toList();
        if (kind == Kind.BEST) {
            return recordedBest != null ? recordedBest
                    : values.stream().mapToDouble(Double::doubleValue).boxed().max(Double::compare).orElse(null);
        }
        if (values.isEmpty()) {
            return null;
        }
        List<Double> last = values.subList(Math.max(0, values.size() - n), values.size());
        return last.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    /** As the API shows it: {"key": "mean-last-3", "title": "mean of the last 3 epochs"}. */
    public record View(String key, String title) {
    }

    public View view() {
        return new View(key(), title());
    }
}
