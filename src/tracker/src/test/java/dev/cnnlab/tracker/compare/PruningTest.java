package dev.cnnlab.tracker.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pruning rule with p-values counted by hand: W+ and the number of sign patterns at or below it. */
class PruningTest {
    private static final Pruning P10 = new Pruning(Pruning.WILCOXON, 0.1, 2);

    @Test
    void oneSidedExactWilcoxonReproducesHollanderAndWolfe() {
        // Hollander & Wolfe's depression data: W+ = 5 of 45 when Y is the candidate; P(W+ <= 5) = 10/512
        double[] x = {1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30};
        double[] y = {0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29};
        assertEquals(10.0 / 512, PairedComparison.wilcoxonLessP(x, y), 1e-12);
        // the other direction is the upper tail: P(W+ <= 40) = 1 - P(W+ >= 41) = 1 - 7/512
        assertEquals(1 - 7.0 / 512, PairedComparison.wilcoxonLessP(y, x), 1e-12);
    }

    @Test
    void oneSidedPCountsSignPatterns() {
        // ranks 1..5 with only rank 4 positive: W+ = 4; subsets of {1..5} summing to <= 4 are
        // {}, {1}, {2}, {3}, {4}, {1,2}, {1,3}: 7 of 32
        double[] base = {0, 0, 0, 0, 0};
        assertEquals(7.0 / 32, PairedComparison.wilcoxonLessP(base, new double[] {-1, -2, -3, 4, -5}), 1e-12);
        // all worse: only the empty subset, 1/2^n, the floor
        assertEquals(Pruning.floor(5), PairedComparison.wilcoxonLessP(base, new double[] {-1, -2, -3, -4, -5}), 1e-12);
        // zeros are dropped: two non-zero differences, both negative, 1/4
        assertEquals(0.25, PairedComparison.wilcoxonLessP(base, new double[] {0, 0, 0, -1, -2}), 1e-12);
        assertEquals(1.0, PairedComparison.wilcoxonLessP(base, base), 1e-12);
    }

    @Test
    void aRunWorseOnFourFoldsIsPrunedAtPointOne() {
        Map<Integer, Double> best = Map.of(0, 0.60, 1, 0.62, 2, 0.58, 3, 0.61, 4, 0.60);
        // 3 pairs: p = 1/8 = 0.125, not below 0.1
        assertEquals(Optional.empty(), P10.decide(best, Map.of(0, 0.30, 1, 0.31, 2, 0.29)));
        // 4 pairs: p = 1/16 = 0.0625
        Optional<String> reason = P10.decide(best, Map.of(0, 0.30, 1, 0.31, 2, 0.29, 3, 0.33));
        assertEquals(Optional.of("on folds [0, 1, 2, 3] (mean -29.5 pp, one-sided Wilcoxon p = 0.0625 < 0.1, 4 pairs)"),
                reason);
    }

    @Test
    void oneBetterFoldOfFourKeepsTheRun() {
        Map<Integer, Double> best = Map.of(0, 0.60, 1, 0.60, 2, 0.60, 3, 0.60);
        // differences -0.1, -0.2, -0.3, +0.05: the positive one has rank 1, W+ = 1, p = 2/16 = 0.125
        assertEquals(Optional.empty(), P10.decide(best, Map.of(0, 0.50, 1, 0.40, 2, 0.30, 3, 0.65)));
        assertTrue(new Pruning(Pruning.WILCOXON, 0.13, 2).decide(best, Map.of(0, 0.50, 1, 0.40, 2, 0.30, 3, 0.65))
                .orElseThrow().contains("p = 0.1250 < 0.13"));
    }

    @Test
    void onlyFoldsBothRunsFinishedArePairedAndMinFoldsWaits() {
        Map<Integer, Double> best = Map.of(0, 0.6, 1, 0.6, 2, 0.6, 3, 0.6, 5, 0.6);
        Map<Integer, Double> worse = Map.of(0, 0.3, 1, 0.3, 3, 0.3, 4, 0.3, 5, 0.3);
        // fold 4 has no partner: pairs 0, 1, 3, 5
        assertTrue(P10.decide(best, worse).orElseThrow().startsWith("on folds [0, 1, 3, 5]"));
        assertEquals(Optional.empty(), new Pruning(Pruning.WILCOXON, 0.1, 5).decide(best, worse));
    }

    @Test
    void aBetterRunIsNeverPruned() {
        Map<Integer, Double> best = Map.of(0, 0.3, 1, 0.3, 2, 0.3, 3, 0.3, 4, 0.3);
        assertEquals(Optional.empty(), new Pruning(Pruning.WILCOXON, 0.5, 2)
                .decide(best, Map.of(0, 0.6, 1, 0.6, 2, 0.6, 3, 0.6, 4, 0.6)));
    }
}
