package dev.cnnlab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnlab.bench.TimeToAccuracy.Epoch;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimeToAccuracyTest {
    /** Epochs of 300, 300, 400, 600 and 500 s: cumulative 300, 600, 1000, 1600, 2100. */
    private static final List<Epoch> RUN = List.of(new Epoch(300, 0.80), new Epoch(300, 0.91),
            new Epoch(400, 0.932), new Epoch(600, 0.925), new Epoch(500, 0.941));

    @Test
    void secondsToTargetIsTheCumulativeTimeOfTheFirstEpochReachingIt() {
        assertEquals(1000, TimeToAccuracy.secondsTo(RUN, 0.93).orElseThrow(), 1e-9);
        assertEquals(2100, TimeToAccuracy.secondsTo(RUN, 0.94).orElseThrow(), 1e-9);
        assertEquals(300, TimeToAccuracy.secondsTo(RUN, 0.80).orElseThrow(), 1e-9, "reaching exactly counts");
    }

    @Test
    void aTargetNeverReachedIsEmpty() {
        assertTrue(TimeToAccuracy.secondsTo(RUN, 0.95).isEmpty());
        assertTrue(TimeToAccuracy.secondsTo(List.of(), 0.5).isEmpty());
    }

    @Test
    void accuracyAtATimeIsTheLastEpochEndedByThen() {
        assertEquals(0.932, TimeToAccuracy.accuracyAt(RUN, 1200).orElseThrow(), 1e-12);
        assertEquals(0.932, TimeToAccuracy.accuracyAt(RUN, 1000).orElseThrow(), 1e-12, "an epoch ending at the time");
        assertEquals(0.925, TimeToAccuracy.accuracyAt(RUN, 1800).orElseThrow(), 1e-12, "a dip counts as measured");
        assertEquals(0.941, TimeToAccuracy.accuracyAt(RUN, 3600).orElseThrow(), 1e-12, "a run ended earlier");
        assertTrue(TimeToAccuracy.accuracyAt(RUN, 299).isEmpty(), "no epoch ended yet");
    }

    @Test
    void totalSecondsSumsTheEpochs() {
        assertEquals(2100, TimeToAccuracy.totalSeconds(RUN), 1e-9);
    }

    @Test
    void negativeEpochTimesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Epoch(-1, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new Epoch(Double.NaN, 0.5));
    }
}
