package dev.cnnlab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CleanWindowsTest {
    @Test
    void countsItemsOverCleanWindows() throws Exception {
        // No threshold: every window is clean. One window of >= 1 s of 10 ms iterations.
        CleanWindows.Result r = new CleanWindows(1, 1, Double.MAX_VALUE).run(i -> Thread.sleep(10), 4);
        assertTrue(r.clean());
        assertEquals(1, r.windowsClean());
        int iterations = r.iterationNanos().length;
        assertEquals(iterations * 4 / r.countedSeconds(), r.itemsPerSecond(), 1e-9);
        assertTrue(r.quantileMs(0.5) >= 10 && r.quantileMs(0.5) < 100, "median " + r.quantileMs(0.5));
        assertTrue(r.quantileMs(0) <= r.quantileMs(0.99), "quantiles are sorted");
    }

    @Test
    void fallsBackToAllWindowsAndSaysSoWhenNoneIsClean() throws Exception {
        // A negative threshold: no window can be clean.
        CleanWindows.Result r = new CleanWindows(1, 1, -1).run(i -> Thread.sleep(10), 1);
        assertFalse(r.clean());
        assertEquals(0, r.windowsClean());
        assertEquals(1, r.windowsRejected());
        assertTrue(r.itemsPerSecond() > 0 && r.itemsPerSecond() <= 100, "rate " + r.itemsPerSecond());
    }

    @Test
    void rejectsAMaximumBelowTheTarget() {
        var e = assertThrows(IllegalArgumentException.class, () -> new CleanWindows(10, 5, 0.05));
        assertTrue(e.getMessage().contains("10.0") && e.getMessage().contains("5.0"), e.getMessage());
    }
}
