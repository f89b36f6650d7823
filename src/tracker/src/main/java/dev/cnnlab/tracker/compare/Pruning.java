package dev.cnnlab.tracker.compare;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cnnlab.tracker.experiment.SpecOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * Fold-level pruning, the spec's {@code "pruning": {"kind": "wilcoxon", "pValue": 0.1, "minFolds": 2}}:
 * a run whose finished folds are significantly worse than the best finished run's on the same fold
 * indices has its remaining folds cancelled. The rule is Optuna's {@code WilcoxonPruner}: with at least
 * {@code minFolds} pairs, the run is pruned when the one-sided exact Wilcoxon signed-rank test of
 * "this run is lower" gives p below {@code pValue}.
 *
 * <p>With n pairs the exact one-sided p cannot fall below 1 / 2^n (every difference negative), so the
 * rule can only fire once 1 / 2^n &lt; pValue: at pValue 0.1 from 4 pairs (0.0625), at 0.05 from 5
 * (0.031). A spec whose folds cannot reach that before the last fold is rejected.
 *
 * @param kind the test; only {@code wilcoxon}
 * @param pValue prune when the one-sided p is below this, in (0, 0.5]
 * @param minFolds pairs needed before the rule is tried, at least 2
 */
public record Pruning(String kind, double pValue, int minFolds) {
    public static final String WILCOXON = "wilcoxon";
    public static final double DEFAULT_P_VALUE = 0.1;
    public static final int DEFAULT_MIN_FOLDS = 2;
    private static final List<String> KEYS = List.of("kind", "pValue", "minFolds");

    /**
     * Reads the spec's {@code pruning} object for a run of {@code folds} folds; every problem goes to
     * {@code violate(field, message)} and the result is then null.
     */
    public static Pruning parse(JsonNode node, int folds, BiConsumer<String, String> violate) {
        List<String> problems = new ArrayList<>();
        BiConsumer<String, String> v = (field, message) -> {
            problems.add(field);
            violate.accept(field, message);
        };
        if (!SpecOption.check(node, "pruning", WILCOXON, KEYS,
                "{\"kind\": \"wilcoxon\", \"pValue\": 0.1, \"minFolds\": 2}", v)) {
            return null;
        }
        double p = DEFAULT_P_VALUE;
        if (node.has("pValue")) {
            JsonNode n = node.get("pValue");
            if (!n.isNumber() || !(n.asDouble() > 0 && n.asDouble() <= 0.5)) {
                v.accept("pruning.pValue", "must be a number in (0, 0.5], got " + n);
            } else {
                p = n.asDouble();
            }
        }
        int minFolds = DEFAULT_MIN_FOLDS;
        if (node.has("minFolds")) {
            JsonNode n = node.get("minFolds");
            if (!n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() < 2 || n.asInt() > folds - 1) {
                v.accept("pruning.minFolds", "must be an integer from 2 to " + (folds - 1)
                        + " (folds - 1, so that a fold is left to cancel), got " + n);
            } else {
                minFolds = n.asInt();
            }
        }
        if (problems.isEmpty() && floor(folds - 1) >= p) {
            v.accept("pruning.pValue", String.format(Locale.ROOT, "%s can never be reached before the last of %d folds:"
                    + " an exact one-sided Wilcoxon over %d pairs cannot fall below 1/2^%d = %.4g; raise pValue above"
                    + " that or use more folds", Double.toString(p), folds, folds - 1, folds - 1, floor(folds - 1)));
        }
        return problems.isEmpty() ? new Pruning(WILCOXON, p, minFolds) : null;
    }

    /** The pruning stored in an experiment's spec map, or empty when it has none. */
    public static Optional<Pruning> fromSpec(Map<String, Object> spec) {
        if (!(spec.get("pruning") instanceof Map<?, ?> map)) {
            return Optional.empty();
        }
        return Optional.of(new Pruning((String) map.get("kind"), ((Number) map.get("pValue")).doubleValue(),
                ((Number) map.get("minFolds")).intValue()));
    }

    /** As stored in the spec and returned by the API. */
    public Map<String, Object> toJson() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("kind", kind);
        map.put("pValue", pValue);
        map.put("minFolds", minFolds);
        return map;
    }

    /** The smallest one-sided exact Wilcoxon p-value over n pairs: 1 / 2^n. */
    public static double floor(int n) {
        return Math.pow(2, -n);
    }

    /**
     * Applies the rule to one run against the best run, pairing the folds both finished (by fold index).
     *
     * @param best the best run's accuracy by fold index
     * @param candidate this run's accuracy by fold index
     * @return why the run is pruned, e.g. "on folds [0, 1, 2, 3] (mean -31.2 pp, one-sided Wilcoxon
     *     p = 0.0625 < 0.1, 4 pairs)", or empty when it goes on
     */
    public Optional<String> decide(Map<Integer, Double> best, Map<Integer, Double> candidate) {
        SortedMap<Integer, double[]> pairs = new TreeMap<>();
        candidate.forEach((fold, acc) -> {
            Double b = best.get(fold);
            if (acc != null && b != null) {
                pairs.put(fold, new double[] {b, acc});
            }
        });
        int n = pairs.size();
        if (n < minFolds || n < 2) {
            return Optional.empty();
        }
        double[] b = pairs.values().stream().mapToDouble(x -> x[0]).toArray();
        double[] c = pairs.values().stream().mapToDouble(x -> x[1]).toArray();
        double p = PairedComparison.wilcoxonLessP(b, c);
        if (!(p < pValue)) {
            return Optional.empty();
        }
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += (c[i] - b[i]) / n;
        }
        return Optional.of(String.format(Locale.ROOT, "on folds %s (mean %+.1f pp, one-sided Wilcoxon p = %.4f < %s,"
                + " %d pairs)", pairs.keySet(), 100 * mean, p, Double.toString(pValue), n));
    }
}
