package dev.cnnlab.inference.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SplitChooserTest {
    private boolean lastSplit;

    /** Runs n predictions whose latency depends on the way chosen; returns how many split. */
    private static int run(SplitChooser chooser, int n, long splitNanos, long singleNanos) {
        int splits = 0;
        for (int i = 0; i < n; i++) {
            boolean split = chooser.nextSplits();
            splits += split ? 1 : 0;
            chooser.record(split, split ? splitNanos : singleNanos);
        }
        return splits;
    }

    @Test
    void triesBothWaysThenKeepsTheFasterAndProbesTheOtherTwiceIn32() {
        SplitChooser chooser = new SplitChooser();
        assertTrue(chooser.nextSplits(), "first: split");
        chooser.record(true, 300_000_000); // compilation
        assertFalse(chooser.nextSplits(), "second: one thread");
        chooser.record(false, 1_000_000);
        // one thread until predictions 32 and 33 probe split again: only the second probe counts,
        // and split is faster once warm (a sample under half the average replaces it)
        assertEquals(2, run(chooser, 31, 650_000, 1_000_000), "only the probes split");
        assertEquals(3200 - 200, run(chooser, 3200, 650_000, 1_000_000), "all but the probes split");
    }

    @Test
    void switchesToOneThreadWhenSplittingTurnsSlowAndBackWhenItRecovers() {
        SplitChooser chooser = new SplitChooser();
        run(chooser, 320, 650_000, 1_000_000);
        // a half-speed phase: split predictions take 1.6 ms, one thread still 1.0 ms
        int splits = run(chooser, 3200, 1_600_000, 1_000_000);
        assertTrue(splits < 220, "mostly one thread in the slow phase, got " + splits + " splits");
        int after = run(chooser, 3200, 650_000, 1_000_000);
        assertTrue(after > 2900, "back to splitting, got " + after);
    }

    @Test
    void theFirstProbeAfterAStretchOnOneThreadDoesNotCount() {
        // waking parked helpers makes the first split prediction slow; the second is the real one
        SplitChooser chooser = new SplitChooser();
        run(chooser, 320, 1_600_000, 1_000_000); // one thread is faster for now
        int splits = 0;
        for (int i = 0; i < 3200; i++) {
            boolean split = chooser.nextSplits();
            splits += split ? 1 : 0;
            boolean firstProbe = split && i > 0 && !lastSplit;
            chooser.record(split, !split ? 1_000_000 : firstProbe ? 1_200_000 : 650_000);
            lastSplit = split;
        }
        assertTrue(splits > 2900, "split again, got " + splits);
    }
}
