package dev.cnnlab.training.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LearningRateUnitTest {

    @Test
    void batchUnitsAreDl4jsOwn() {
        assertEquals(0.2, LearningRateUnit.BATCH.stepLearningRate(0.2, 128, 0.9), 0);
        assertEquals(5e-3, LearningRateUnit.BATCH.weightDecayCoefficient(5e-3, 0.2, 0.9), 0);
    }

    @Test
    void per1024MatchesAirbenchsPyTorchSteps() {
        // airbench94: lr 11.5 per 1024 examples, momentum 0.85, batch 1024, summed loss.
        // kilostep = 1024 (1 + 1 / 0.15) = 7850.67; PyTorch lr = 11.5 / kilostep = 1.4648e-3 per summed
        // example, so 1.5 for the batch-mean gradient DL4J takes.
        assertEquals(1.5, LearningRateUnit.PER_1024.stepLearningRate(11.5, 1024, 0.85), 1e-12);
        assertEquals(0.75, LearningRateUnit.PER_1024.stepLearningRate(11.5, 512, 0.85), 1e-12);
        // weight decay: PyTorch decays by lr * (wd / lr) = wd * batch / kilostep per step, amplified
        // 1 / (1 - momentum) by the momentum buffer; DL4J's coefficient times its lr must equal that
        double coefficient = LearningRateUnit.PER_1024.weightDecayCoefficient(0.0153, 11.5, 0.85);
        double perStep = 0.0153 * 1024 / (1024 * (1 + 1 / 0.15)) / 0.15;
        assertEquals(perStep, coefficient * LearningRateUnit.PER_1024.stepLearningRate(11.5, 1024, 0.85), 1e-12);
    }

    @Test
    void triangleScheduleRisesToTheBaseThenFalls() {
        LearningRateSchedule s = new LearningRateSchedule(Schedule.TRIANGLE, 1.0, 10, 10); // 100 steps
        assertEquals(0.2, s.valueAt(0, 0), 1e-12);
        assertEquals(1.0, s.valueAt(23, 2), 1e-12);
        assertEquals(0.2 + 0.8 * 10 / 23.0, s.valueAt(10, 1), 1e-12);
        assertEquals(1 - 0.93 * 77 / 77.0, s.valueAt(100, 9), 1e-12);
        LearningRateSchedule bias = s.scaled(64, 3);
        assertEquals(64.0, bias.valueAt(23, 2), 1e-9);
        assertEquals(0, bias.valueAt(30, 3), 0, "0 from the third epoch on");
    }
}
