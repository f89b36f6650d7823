package dev.cnnlab.tracker.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PairedComparisonTest {
    // Student's sleep data (Cushny and Peebles 1905): extra hours of sleep of 10 patients under
    // two drugs. R: t.test(sleep$extra[11:20], sleep$extra[1:10], paired = TRUE) gives
    // t = 4.0621, df = 9, p-value = 0.002833, 95% CI 0.7001142 to 2.4598858, mean 1.58.
    private static final double[] DRUG1 = {0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0};
    private static final double[] DRUG2 = {1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4};

    // Hollander and Wolfe (1973, p. 29), the example of R's wilcox.test: depression scale at the
    // first (x) and second (y) visit of 9 patients. wilcox.test(x, y, paired = TRUE,
    // alternative = "greater") gives V = 40, p-value = 0.01953, so two-sided 0.0390625 (20/512).
    private static final double[] X = {1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30};
    private static final double[] Y = {0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29};

    @Test
    void pairedTReproducesTheSleepData() {
        PairedComparison c = PairedComparison.of(DRUG1, DRUG2);
        assertEquals(10, c.n());
        assertEquals(1.58, c.meanDifference(), 1e-12);
        assertEquals(4.0621, c.tStatistic(), 1e-4);
        assertEquals(0.002833, c.tP(), 1e-6);
        assertEquals(0.7001142, c.ciLow(), 1e-6);
        assertEquals(2.4598858, c.ciHigh(), 1e-6);
        assertTrue(c.distinguishable());
    }

    @Test
    void exactWilcoxonReproducesHollanderAndWolfe() {
        PairedComparison c = PairedComparison.of(Y, X);
        assertEquals(40, c.wilcoxonWPlus());
        assertEquals(20.0 / 512, c.wilcoxonP(), 1e-12);
        // the other direction: same p, W+ = 45 - 40
        PairedComparison r = PairedComparison.of(X, Y);
        assertEquals(5, r.wilcoxonWPlus());
        assertEquals(20.0 / 512, r.wilcoxonP(), 1e-12);
    }

    @Test
    void wilcoxonDropsZerosAndGivesTiesMidRanks() {
        // differences 0, 1, 1, -2, 3: zero dropped; |d| ranks 1.5, 1.5, 3, 4; W+ = 1.5 + 1.5 + 4 = 7.
        // Of the 16 sign patterns over ranks {1.5, 1.5, 3, 4}, W+ <= 3 in 5 (0; 1.5; 1.5; 3; 3),
        // W+ >= 7 in 5 (7, 7, 8.5, 8.5, 10): p = 2 * 5 / 16 = 0.625
        double[] base = {0, 0, 0, 0, 0};
        double[] cand = {0, 1, 1, -2, 3};
        PairedComparison c = PairedComparison.of(base, cand);
        assertEquals(7, c.wilcoxonWPlus());
        assertEquals(0.625, c.wilcoxonP(), 1e-12);
    }

    @Test
    void fiveFoldsCannotReachFivePercentWithWilcoxon() {
        double[] base = {0.80, 0.81, 0.79, 0.80, 0.82};
        double[] cand = {0.83, 0.84, 0.81, 0.83, 0.85};
        PairedComparison c = PairedComparison.of(base, cand);
        assertEquals(2.0 / 32, c.wilcoxonP(), 1e-12);
        assertTrue(c.tP() < 0.001);
    }

    @Test
    void tQuantilesAndNormalTailMatchTables() {
        assertEquals(12.706205, StudentT.quantile(0.975, 1), 1e-5);
        assertEquals(2.776445, StudentT.quantile(0.975, 4), 1e-6);
        assertEquals(2.262157, StudentT.quantile(0.975, 9), 1e-6);
        assertEquals(1.959964, StudentT.quantile(0.975, 1_000_000), 1e-5);
        assertEquals(0.0227501, StudentT.normalUpperTail(2), 1e-6);
        assertEquals(0.5, StudentT.normalUpperTail(0), 1e-12);
    }

    @Test
    void verdictSaysWhoWinsByHowMuch() {
        double[] b64 = {0.461, 0.432, 0.489, 0.470, 0.455};
        double[] b32 = {0.490, 0.455, 0.512, 0.499, 0.478};
        PairedComparison c = PairedComparison.of(b64, b32);
        assertEquals("batch 32 beats batch 64 by 2.5 pp (95% CI 2.1 to 2.9 pp, p < 0.001, 5 folds;"
                + " Wilcoxon p = 0.06)", c.verdict("batch 32", "batch 64"));
        assertTrue(PairedComparison.of(b32, b64).verdict("batch 64", "batch 32")
                .startsWith("batch 64 trails batch 32 by 2.5 pp"));
    }

    @Test
    void verdictSaysWhenNoDifferenceIsDetectable() {
        double[] a = {0.80, 0.82, 0.79, 0.81};
        double[] b = {0.81, 0.81, 0.80, 0.80};
        PairedComparison c = PairedComparison.of(a, b);
        assertFalse(c.distinguishable());
        assertTrue(c.verdict("lr 0.1", "lr 0.05").startsWith(
                "no detectable difference between lr 0.1 and lr 0.05 (mean 0.0 pp, 95% CI -"), c.verdict("a", "b"));
    }

    @Test
    void refusesUnpairedOrTooFewOrNonFiniteValues() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> PairedComparison.of(new double[] {1, 2, 3}, new double[] {1, 2}));
        assertTrue(e.getMessage().contains("baseline 3, candidate 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> PairedComparison.of(new double[] {1}, new double[] {2}));
        assertTrue(e.getMessage().contains("got 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> PairedComparison.of(new double[] {1, Double.NaN}, new double[] {2, 3}));
        assertTrue(e.getMessage().contains("pair 1"), e.getMessage());
    }
}
