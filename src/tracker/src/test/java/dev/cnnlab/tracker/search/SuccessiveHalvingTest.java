package dev.cnnlab.tracker.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cnnlab.tracker.search.SuccessiveHalving.Arrival;
import dev.cnnlab.tracker.search.SuccessiveHalving.Decision;
import dev.cnnlab.tracker.search.SuccessiveHalving.Verdict;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ASHA's rule on hand-made rungs with known answers, and the rungs of a spec. */
class SuccessiveHalvingTest {

    @Test
    void rungsAreMinEpochsTimesEtaToThePowerBelowTheRunsEpochs() {
        Asha asha = new Asha("asha", 3, 2);
        assertEquals(List.of(2, 6), asha.rungEpochs(9));
        assertEquals(List.of(2, 6), asha.rungEpochs(18));    // 18 is the end, not a rung
        assertEquals(List.of(2, 6, 18), asha.rungEpochs(19));
        assertEquals(List.of(), asha.rungEpochs(2));
        assertEquals(1, asha.rungAt(6));
        assertEquals(-1, asha.rungAt(4));
        assertEquals(6, asha.nextTarget(9, 2));
        assertEquals(9, asha.nextTarget(9, 6));               // promoted from the last rung: to the end
        assertEquals(2, asha.nextTarget(9, 0));               // the first target
        assertEquals(List.of(1, 2, 4), new Asha("asha", 2, 1).rungEpochs(5));
    }

    @Test
    void nothingGoesOnBeforeEtaRunsArrived() {
        assertEquals(List.of(), SuccessiveHalving.decide(arrivals(0.9, 0.1), 3, false));
    }

    @Test
    void theThirdArrivalPromotesTheBestOfThreeEvenIfItWaited() {
        // run 1 (0.9) waited; run 3 arrives with 0.5: top floor(3/3) = 1 is run 1
        assertEquals(List.of(new Verdict(1, Decision.PROMOTED, 1, 3, 1)),
                SuccessiveHalving.decide(arrivals(0.9, 0.1, 0.5), 3, false));
    }

    @Test
    void aPromotionStandsWhenLaterArrivalsOutrankIt() {
        // Li et al.'s asynchronous rule: 0.3 went on at n = 3; at n = 6 the top 2 are 0.6 and 0.5, and
        // only the undecided one of them is promoted now, so 3 of 6 went on, not floor(6/3) = 2
        List<Arrival> rung = new ArrayList<>(arrivals(0.1, 0.2, 0.3));
        rung.set(2, new Arrival(3, 0.3, Decision.PROMOTED));
        rung.add(new Arrival(4, 0.4, Decision.PROMOTED));    // went on at n = 4 (top 1 of 4)
        rung.add(new Arrival(5, 0.5, Decision.PROMOTED));    // and at n = 5
        rung.add(new Arrival(6, 0.6, null));
        assertEquals(List.of(new Verdict(6, Decision.PROMOTED, 1, 6, 2)), SuccessiveHalving.decide(rung, 3, false));
    }

    @Test
    void aCompleteRungPromotesTheWaitingTopAndStopsTheRest() {
        // 9 arrivals, eta 3: the top 3 go on; runs 7 and 2 went on as they arrived
        List<Arrival> rung = new ArrayList<>(arrivals(0.50, 0.80, 0.10, 0.20, 0.70, 0.30, 0.90, 0.40, 0.60));
        rung.set(1, new Arrival(2, 0.80, Decision.PROMOTED));
        rung.set(6, new Arrival(7, 0.90, Decision.PROMOTED));
        List<Verdict> verdicts = SuccessiveHalving.decide(rung, 3, true);
        assertEquals(new Verdict(5, Decision.PROMOTED, 3, 9, 3), verdicts.get(0));
        assertEquals(List.of(9L, 1L, 8L, 6L, 4L, 3L), verdicts.subList(1, 7).stream().map(Verdict::runId).toList());
        assertEquals(List.of(Decision.STOPPED), verdicts.subList(1, 7).stream().map(Verdict::decision).distinct().toList());
        assertEquals("rank 4 of 9, the top 3 go on", verdicts.get(1).describe());
        assertEquals(List.of(), SuccessiveHalving.decide(arrivals(0.5), 3, false));
        // a complete rung of fewer than eta runs still sends its best on
        assertEquals(List.of(new Verdict(2, Decision.PROMOTED, 1, 2, 1), new Verdict(1, Decision.STOPPED, 2, 2, 1)),
                SuccessiveHalving.decide(arrivals(0.5, 0.6), 3, true));
    }

    @Test
    void aTieGoesToTheEarlierArrival() {
        List<Verdict> verdicts = SuccessiveHalving.decide(arrivals(0.5, 0.5, 0.5, 0.5), 2, true);
        assertEquals(List.of(1L, 2L, 3L, 4L), verdicts.stream().map(Verdict::runId).toList());
        assertEquals(List.of(Decision.PROMOTED, Decision.PROMOTED, Decision.STOPPED, Decision.STOPPED),
                verdicts.stream().map(Verdict::decision).toList());
    }

    /** Undecided arrivals of runs 1, 2, ... with these scores, in this order. */
    static List<Arrival> arrivals(double... scores) {
        List<Arrival> list = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            list.add(new Arrival(i + 1, scores[i], null));
        }
        return list;
    }
}
