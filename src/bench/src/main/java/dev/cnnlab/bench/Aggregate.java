package dev.cnnlab.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The repetitions of one (suite, case, system, metric), summarized.
 *
 * @param suite          the suite
 * @param caseName       the case
 * @param system         the system
 * @param metric         the metric
 * @param unit           its unit
 * @param higherIsBetter whether a larger value is better
 * @param median         median over repetitions (mean of the middle two for an even count)
 * @param min            smallest value
 * @param max            largest value
 * @param mean           arithmetic mean over repetitions
 * @param std            sample standard deviation (n - 1 in the denominator; 0 for a single repetition)
 * @param n              number of repetitions
 * @param disturbed      repetitions measured without a single clean window
 * @param command        the command(s) that reproduce it
 */
public record Aggregate(String suite, @JsonProperty("case") String caseName, String system, String metric, String unit,
        boolean higherIsBetter, double median, double min, double max, double mean, double std, int n, int disturbed,
        String command) {

    /** Systems whose name starts with this are cnnlab's; the others are peers. */
    public static final String OURS_PREFIX = "cnnlab-";

    /** Returns whether this is one of cnnlab's systems. */
    public boolean ours() {
        return system.startsWith(OURS_PREFIX);
    }

    /**
     * Groups rows by (suite, case, system, metric), in order of first appearance.
     *
     * @throws IllegalArgumentException if rows of one group disagree on unit or direction
     */
    public static List<Aggregate> of(List<Row> rows) {
        Map<List<String>, List<Row>> groups = new LinkedHashMap<>();
        for (Row r : rows) {
            groups.computeIfAbsent(List.of(r.suite(), r.caseName(), r.system(), r.metric()), k -> new ArrayList<>())
                    .add(r);
        }
        List<Aggregate> out = new ArrayList<>();
        for (List<Row> g : groups.values()) {
            Row first = g.get(0);
            double[] v = new double[g.size()];
            int disturbed = 0;
            Set<String> commands = new LinkedHashSet<>();
            for (int i = 0; i < v.length; i++) {
                Row r = g.get(i);
                if (!r.unit().equals(first.unit()) || r.higherIsBetter() != first.higherIsBetter()) {
                    throw new IllegalArgumentException("rows of " + first.suite() + " / " + first.caseName() + " / "
                            + first.system() + " / " + first.metric() + " disagree on unit or direction: "
                            + first.unit() + " vs " + r.unit());
                }
                v[i] = r.value();
                disturbed += Boolean.FALSE.equals(r.clean()) ? 1 : 0;
                commands.add(r.command());
            }
            Arrays.sort(v);
            int n = v.length;
            double median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
            double mean = Arrays.stream(v).average().orElseThrow();
            double squares = Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum();
            double std = n > 1 ? Math.sqrt(squares / (n - 1)) : 0;
            out.add(new Aggregate(first.suite(), first.caseName(), first.system(), first.metric(), first.unit(),
                    first.higherIsBetter(), median, v[0], v[n - 1], mean, std, n, disturbed, String.join("; ", commands)));
        }
        return out;
    }

    /**
     * How much better cnnlab is than a peer on one (suite, case, metric): {@code value > 1} means cnnlab is
     * better, whichever direction the metric goes.
     *
     * @param ours  cnnlab's aggregate
     * @param peer  the peer's aggregate
     * @param value ratio of the medians
     * @param low   the least favourable ratio of the ranges (ours' worst against the peer's best)
     * @param high  the most favourable one
     */
    public record Ratio(Aggregate ours, Aggregate peer, double value, double low, double high) {
        /** Returns the ratio of cnnlab against a peer, oriented so that > 1 means cnnlab is better. */
        static Ratio of(Aggregate ours, Aggregate peer) {
            if (ours.higherIsBetter()) {
                return new Ratio(ours, peer, ours.median() / peer.median(), ours.min() / peer.max(),
                        ours.max() / peer.min());
            }
            return new Ratio(ours, peer, peer.median() / ours.median(), peer.min() / ours.max(),
                    peer.max() / ours.min());
        }
    }

    /** Returns every ratio of a cnnlab system against a peer on the same (suite, case, metric). */
    public static List<Ratio> ratios(List<Aggregate> aggregates) {
        List<Ratio> out = new ArrayList<>();
        for (Aggregate ours : aggregates) {
            if (!ours.ours()) {
                continue;
            }
            for (Aggregate peer : aggregates) {
                if (!peer.ours() && peer.suite().equals(ours.suite()) && peer.caseName().equals(ours.caseName())
                        && peer.metric().equals(ours.metric()) && peer.min() > 0 && ours.min() > 0) {
                    out.add(Ratio.of(ours, peer));
                }
            }
        }
        return out;
    }
}
