package dev.cnnlab.tracker.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnlab.tracker.api.ApiException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryMetricTest {
    // a fold that peaked at epoch 3 and fell back: best 0.60, last 0.52, mean of the last 3 = 0.5567
    static final List<Double> EPOCHS = List.of(0.40, 0.55, 0.60, 0.56, 0.52);

    @Test
    void bestIsTheRecordedAccuracyAndTheDefault() {
        assertEquals(SummaryMetric.BEST, SummaryMetric.parse(null));
        assertEquals(SummaryMetric.BEST, SummaryMetric.parse(" "));
        assertEquals(0.60, SummaryMetric.parse("best").of(0.60, EPOCHS));
        // a fold recorded without its best (older rows) falls back to the best epoch on record
        assertEquals(0.60, SummaryMetric.BEST.of(null, EPOCHS));
        assertEquals("best epoch", SummaryMetric.BEST.title());
    }

    @Test
    void lastAndMeanOfTheLastN() {
        assertEquals(0.52, SummaryMetric.parse("last").of(0.60, EPOCHS));
        SummaryMetric mean3 = SummaryMetric.parse("mean-last-3");
        assertEquals((0.60 + 0.56 + 0.52) / 3, mean3.of(0.60, EPOCHS), 1e-12);
        assertEquals("mean of the last 3 epochs", mean3.title());
        assertEquals("mean-last-3", mean3.key());
        // more epochs asked for than recorded: the mean of all of them
        assertEquals(EPOCHS.stream().mapToDouble(d -> d).average().orElseThrow(),
                SummaryMetric.parse("mean-last-50").of(0.60, EPOCHS), 1e-12);
        // a missing epoch value is skipped, not counted as 0
        assertEquals((0.56 + 0.52) / 2, SummaryMetric.parse("mean-last-2").of(0.60, Arrays.asList(0.5, 0.56, null, 0.52)),
                1e-12);
        assertEquals(SummaryMetric.parse("last"), SummaryMetric.parse("mean-last-1"));
        assertNull(SummaryMetric.parse("last").of(0.6, List.of()));
    }

    @Test
    void anythingElseIsA400NamingTheChoices() {
        ApiException e = assertThrows(ApiException.class, () -> SummaryMetric.parse("final"));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("'best', 'last' or 'mean-last-N'") && e.getMessage().contains("'final'"),
                e.getMessage());
        ApiException zero = assertThrows(ApiException.class, () -> SummaryMetric.parse("mean-last-0"));
        assertTrue(zero.getMessage().contains("between 1 and 1000, got 0"), zero.getMessage());
    }
}
