package dev.cnnlab.inference.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SplitChooserTest {
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
    void triesBothWaysThenKeepsTheFasterAndProbesTheOtherEvery32nd() {
        SplitChooser chooser = new SplitChooser();
        assertTrue(chooser.nextSplits(), "first: split");
        chooser.record(true, 300_000_000); // compilation
        assertFalse(chooser.nextSplits(), "second: one thread");
        chooser.record(false, 1_000_000);
        // one thread until the 32nd prediction probes split again, which is faster once warm
        // (a sample under half the average replaces it)
        assertEquals(1, run(chooser, 30, 650_000, 1_000_000), "only the probe splits");
        assertEquals(3200 - 100, run(chooser, 3200, 650_000, 1_000_000), "all but the probes split");
    }

    @Test
    void switchesToOneThreadWhenSplittingTurnsSlowAndBackWhenItRecovers() {
        SplitChooser chooser = new SplitChooser();
        run(chooser, 320, 650_000, 1_000_000);
        // a half-speed phase: split predictions take 1.6 ms, one thread still 1.0 ms
        int splits = run(chooser, 3200, 1_600_000, 1_000_000);
        assertTrue(splits < 120, "mostly one thread in the slow phase, got " + splits + " splits");
        int after = run(chooser, 3200, 650_000, 1_000_000);
        assertTrue(after > 3000, "back to splitting, got " + after);
    }
}
