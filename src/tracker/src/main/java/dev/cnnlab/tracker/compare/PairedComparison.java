package dev.cnnlab.tracker.compare;

import java.util.Arrays;
import java.util.Locale;

/**
 * Compares two configurations on the same folds: the per-fold differences of a metric, their
 * mean with a 95% confidence interval from the paired t distribution, the paired t test and the
 * exact Wilcoxon signed-rank test, and a verdict in words.
 *
 * <p>The verdict follows the confidence interval: a difference is called real when the 95% CI of
 * the mean difference excludes zero (equivalently, the two-sided paired t test has p < 0.05). The
 * Wilcoxon p-value is reported beside it as the check that assumes no normality; with n pairs it
 * cannot fall below 2 / 2^n, so 5 folds can never reach 0.05 (use repeated k-fold for that).
 *
 * @param n pairs (folds that both configurations finished)
 * @param meanDifference mean of {@code candidate - baseline}
 * @param ciLow lower end of the 95% confidence interval of the mean difference
 * @param ciHigh upper end of it
 * @param tStatistic the paired t statistic (NaN when n < 2 or all differences are equal)
 * @param tP two-sided p-value of the paired t test
 * @param wilcoxonWPlus sum of the ranks of the positive differences (zeros dropped)
 * @param wilcoxonP two-sided p-value of the Wilcoxon signed-rank test: exact up to 25 non-zero
 *     differences (ties take mid-ranks), else the normal approximation with continuity correction
 */
public record PairedComparison(int n, double meanDifference, double ciLow, double ciHigh,
        double tStatistic, double tP, double wilcoxonWPlus, double wilcoxonP) {
    private static final int EXACT_WILCOXON_MAX = 25;

    /**
     * Compares {@code candidate[i]} with {@code baseline[i]} for every i (the same fold).
     *
     * @param baseline the baseline's metric on each fold
     * @param candidate the candidate's metric on the same folds, in the same order
     * @return the comparison
     * @throws IllegalArgumentException if the lengths differ, a value is not finite, or n < 2
     */
    public static PairedComparison of(double[] baseline, double[] candidate) {
        if (baseline.length != candidate.length) {
            throw new IllegalArgumentException("paired samples differ in length: baseline "
                    + baseline.length + ", candidate " + candidate.length);
        }
        int n = baseline.length;
        if (n < 2) {
            throw new IllegalArgumentException("a paired comparison needs at least 2 pairs, got " + n);
        }
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(baseline[i]) || !Double.isFinite(candidate[i])) {
                throw new IllegalArgumentException("pair " + i + " is not finite: baseline "
                        + baseline[i] + ", candidate " + candidate[i]);
            }
            d[i] = candidate[i] - baseline[i];
        }
        double mean = Arrays.stream(d).sum() / n;
        double ss = 0;
        for (double x : d) {
            ss += (x - mean) * (x - mean);
        }
        double se = Math.sqrt(ss / (n - 1) / n);
        double half = StudentT.quantile(0.975, n - 1) * se;
        double t = se > 0 ? mean / se : Double.NaN;
        double tP = se > 0 ? 2 * StudentT.upperTail(Math.abs(t), n - 1) : (mean == 0 ? 1 : 0);
        double[] w = wilcoxon(d);
        return new PairedComparison(n, mean, mean - half, mean + half, t, tP, w[0], w[1]);
    }

    /** True when the 95% confidence interval excludes zero. */
    public boolean distinguishable() {
        return ciLow > 0 || ciHigh < 0;
    }

    /**
     * Says the result in one sentence, with the metric in percentage points (the values are
     * fractions such as accuracies).
     *
     * @param candidate the candidate's name, e.g. "batch 32"
     * @param baseline the baseline's name
     * @return e.g. "batch 32 beats batch 64 by 2.6 pp (95% CI 0.9 to 4.3, p = 0.03, 5 folds;
     *     Wilcoxon p = 0.06)"
     */
    public String verdict(String candidate, String baseline) {
        String detail = String.format(Locale.ROOT, "95%% CI %s to %s pp, p %s, %d folds; Wilcoxon p %s",
                pp(ciLow), pp(ciHigh), p(tP), n, p(wilcoxonP));
        if (!distinguishable()) {
            return "no detectable difference between " + candidate + " and " + baseline + " ("
                    + String.format(Locale.ROOT, "mean %s pp, ", pp(meanDifference)) + detail + ")";
        }
        String verb = meanDifference > 0 ? " beats " : " trails ";
        return candidate + verb + baseline + " by " + pp(Math.abs(meanDifference)) + " pp (" + detail + ")";
    }

    private static String pp(double fraction) {
        return String.format(Locale.ROOT, "%.1f", 100 * fraction);
    }

    private static String p(double p) {
        return p < 0.001 ? "< 0.001" : "= " + String.format(Locale.ROOT, p < 0.01 ? "%.3f" : "%.2f", p);
    }

    /**
     * The one-sided exact Wilcoxon signed-rank p-value that {@code candidate} is lower than
     * {@code baseline} on the same folds: the probability, with random signs, of a W+ at most the
     * observed one. Zero differences are dropped (Wilcoxon's method), so with m non-zero differences
     * it cannot fall below 1 / 2^m; it is 1 when every difference is zero.
     *
     * @param baseline the baseline's metric on each fold
     * @param candidate the candidate's metric on the same folds, in the same order
     * @return the one-sided p-value of "candidate < baseline"
     * @throws IllegalArgumentException as {@link #of}
     */
    public static double wilcoxonLessP(double[] baseline, double[] candidate) {
        return wilcoxon(of(baseline, candidate).differences(baseline, candidate))[2];
    }

    private double[] differences(double[] baseline, double[] candidate) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = candidate[i] - baseline[i];
        }
        return d;
    }

    /** Returns {W+, two-sided p, one-sided p of "the differences tend below zero"} of the signed-rank test. */
    static double[] wilcoxon(double[] d) {
        double[] abs = Arrays.stream(d).filter(x -> x != 0).map(Math::abs).sorted().toArray();
        int m = abs.length;
        if (m == 0) {
            return new double[] {0, 1, 1};
        }
        // mid-ranks, doubled so that they stay integers
        int[] rank2 = new int[m];
        for (int i = 0; i < m; ) {
            int j = i;
            while (j + 1 < m && abs[j + 1] == abs[i]) {
                j++;
            }
            for (int k = i; k <= j; k++) {
                rank2[k] = i + j + 2; // 2 * (mean of ranks i+1 .. j+1)
            }
            i = j + 1;
        }
        int wPlus2 = 0;
        for (double x : d) {
            if (x > 0) {
                wPlus2 += rank2[Arrays.binarySearch(abs, x)];
            }
        }
        int total2 = Arrays.stream(rank2).sum();
        double p;
        double less;
        if (m <= EXACT_WILCOXON_MAX) {
            // count sign assignments by their doubled W+: ways[s] of reaching the sum s
            double[] ways = new double[total2 + 1];
            ways[0] = 1;
            for (int r : rank2) {
                for (int s = total2; s >= r; s--) {
                    ways[s] += ways[s - r];
                }
            }
            double all = Math.pow(2, m);
            double le = 0;
            double ge = 0;
            for (int s = 0; s <= total2; s++) {
                if (s <= wPlus2) {
                    le += ways[s];
                }
                if (s >= wPlus2) {
                    ge += ways[s];
                }
            }
            p = Math.min(1, 2 * Math.min(le, ge) / all);
            less = le / all;
        } else {
            double mu = total2 / 4.0;
            double var = 0;
            for (int r : rank2) {
                var += r * r / 4.0;
            }
            var /= 4; // Var W+ = sum(rank^2) / 4
            double z = (Math.abs(wPlus2 / 2.0 - mu) - 0.5) / Math.sqrt(var);
            p = Math.min(1, 2 * StudentT.normalUpperTail(Math.max(0, z)));
            double zLess = (wPlus2 / 2.0 - mu + 0.5) / Math.sqrt(var);   // P(W+ <= w), continuity-corrected
            less = zLess <= 0 ? StudentT.normalUpperTail(-zLess) : 1 - StudentT.normalUpperTail(zLess);
        }
        return new double[] {wPlus2 / 2.0, p, less};
    }
}
