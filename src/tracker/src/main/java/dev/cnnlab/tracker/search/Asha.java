package dev.cnnlab.tracker.search;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cnnlab.tracker.experiment.SpecOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * The spec's {@code "search": {"kind": "asha", "reductionFactor": 3, "minEpochs": 2}}: asynchronous
 * successive halving over the experiment's runs (Li et al. 2018; Ray Tune's {@code ASHAScheduler}
 * defaults: reduction factor 3, grace period 1). Rung i is at {@code minEpochs x reductionFactor^i}
 * epochs, for every such epoch below the run's epochs; at each rung only the top 1/reductionFactor of
 * the runs recorded there go on ({@link SuccessiveHalving}), and a run promoted from its last rung
 * trains to its last epoch.
 *
 * @param kind the scheduler; only {@code asha}
 * @param reductionFactor eta: the share 1/eta of a rung is promoted, from 2 to 10
 * @param minEpochs the first rung's epochs, at least 1 and below every run's epochs
 */
public record Asha(String kind, int reductionFactor, int minEpochs) {
    public static final String ASHA = "asha";
    public static final int DEFAULT_REDUCTION_FACTOR = 3;
    public static final int DEFAULT_MIN_EPOCHS = 1;
    private static final List<String> KEYS = List.of("kind", "reductionFactor", "minEpochs");

    /**
     * Reads the spec's {@code search} object for runs of at least {@code fewestEpochs} epochs; every
     * problem goes to {@code violate(field, message)} and the result is then null.
     */
    public static Asha parse(JsonNode node, int fewestEpochs, BiConsumer<String, String> violate) {
        List<String> problems = new ArrayList<>();
        BiConsumer<String, String> v = (field, message) -> {
            problems.add(field);
            violate.accept(field, message);
        };
        if (!SpecOption.check(node, "search", ASHA, KEYS,
                "{\"kind\": \"asha\", \"reductionFactor\": 3, \"minEpochs\": 2}", v)) {
            return null;
        }
        int eta = integer(node, "reductionFactor", DEFAULT_REDUCTION_FACTOR, 2, 10, "", v);
        int minEpochs = integer(node, "minEpochs", DEFAULT_MIN_EPOCHS, 1, fewestEpochs - 1,
                " (below the fewest epochs a run trains, " + fewestEpochs + ", so that a rung comes before the end)", v);
        return problems.isEmpty() ? new Asha(ASHA, eta, minEpochs) : null;
    }

    private static int integer(JsonNode node, String key, int dflt, int min, int max, String why,
                               BiConsumer<String, String> v) {
        if (!node.has(key)) {
            if (dflt > max) {
                v.accept("search." + key, "defaults to " + dflt + ", which must be at most " + max + why);
            }
            return dflt;
        }
        JsonNode n = node.get(key);
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < min || n.asInt() > max) {
            v.accept("search." + key, "must be an integer from " + min + " to " + max + why + ", got " + n);
            return dflt;
        }
        return n.asInt();
    }

    /** The search stored in an experiment's spec map, or empty when it has none. */
    public static Optional<Asha> fromSpec(Map<String, Object> spec) {
        if (!(spec.get("search") instanceof Map<?, ?> map)) {
            return Optional.empty();
        }
        return Optional.of(new Asha((String) map.get("kind"), ((Number) map.get("reductionFactor")).intValue(),
                ((Number) map.get("minEpochs")).intValue()));
    }

    /** As stored in the spec and returned by the API. */
    public Map<String, Object> toJson() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("kind", kind);
        map.put("reductionFactor", reductionFactor);
        map.put("minEpochs", minEpochs);
        return map;
    }

    /** The epochs of a run's rungs: {@code minEpochs x eta^i} below {@code epochs}, ascending. */
    public List<Integer> rungEpochs(int epochs) {
        List<Integer> rungs = new ArrayList<>();
        for (long e = minEpochs; e < epochs; e *= reductionFactor) {
            rungs.add((int) e);
        }
        return rungs;
    }

    /** The epoch of rung {@code rung}, whether or not a run has it. */
    public int epochOf(int rung) {
        return (int) Math.min(Integer.MAX_VALUE, minEpochs * Math.pow(reductionFactor, rung));
    }

    /** The rung at an epoch, or -1 when the epoch is not a rung's. */
    public int rungAt(int epoch) {
        for (int i = 0; epochOf(i) <= epoch; i++) {
            if (epochOf(i) == epoch) {
                return i;
            }
        }
        return -1;
    }

    /** Where a run of {@code epochs} epochs trains to after {@code fromEpoch}: its next rung, else its last epoch. */
    public int nextTarget(int epochs, int fromEpoch) {
        return rungEpochs(epochs).stream().filter(e -> e > fromEpoch).findFirst().orElse(epochs);
    }
}
