package dev.cnnlab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TrackerBenchTest {
    @Test
    void percentileIsNearestRank() {
        double[] ms = new double[100];
        for (int i = 0; i < ms.length; i++) {
            ms[i] = 100 - i; // 100 .. 1, unsorted on purpose
        }
        assertEquals(50, TrackerBench.percentile(ms, 50));
        assertEquals(99, TrackerBench.percentile(ms, 99));
        assertEquals(100, TrackerBench.percentile(ms, 100));
        assertEquals(7, TrackerBench.percentile(new double[] {7}, 99));
        assertEquals(100, ms[0], "the input is left as it was");
    }
}
