package dev.cnnlab.training.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class LookaheadTest {

    @Test
    void decayFollowsAirbenchSchedule() {
        assertEquals(0, Lookahead.decay(0, 100), 0);
        assertEquals(Math.pow(0.95, 5) / 8, Lookahead.decay(50, 100), 1e-15);
        assertEquals(Math.pow(0.95, 5), Lookahead.decay(100, 100), 1e-15);
    }

    @Test
    void blendsEveryFifthStepAndEndsOnTheAverage() {
        INDArray w = Nd4j.zeros(DataType.FLOAT, 1, 2);
        Lookahead la = new Lookahead(w);
        long total = 10;
        for (long step = 1; step <= total; step++) {
            w.addi(1); // an optimizer step that moves every weight by +1
            la.afterStep(w, step, total);
            if (step == 5) { // average 0 blended with 5: d * 0 + (1 - d) * 5, and the weights jump there
                double d = Lookahead.decay(5, total);
                assertEquals((1 - d) * 5, w.getDouble(0), 1e-6);
            }
        }
        assertEquals(la.average().getDouble(0), w.getDouble(0), 0, "after the last step the weights are the average");
        double d5 = Lookahead.decay(5, total);
        double after5 = (1 - d5) * 5;
        double d10 = Lookahead.decay(10, total);
        assertEquals(d10 * after5 + (1 - d10) * (after5 + 5), w.getDouble(1), 1e-5);
    }
}
