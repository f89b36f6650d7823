package dev.cnnlab.training.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.commons.math3.special.Erf;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class GeluActivationTest {
    private static double gelu(double x) {
        return 0.5 * x * (1 + Erf.erf(x / Math.sqrt(2)));
    }

    @Test
    void isTheExactErfGelu() {
        INDArray x = Nd4j.linspace(DataType.DOUBLE, -6, 0.25, 49);
        INDArray y = new GeluActivation().getActivation(x.dup(), true);
        for (int i = 0; i < x.length(); i++) {
            double v = x.getDouble(i);
            assertEquals(gelu(v), y.getDouble(i), 1e-7, "gelu(" + v + ")");
        }
        // textbook values: GELU(1) = Phi(1) = 0.841345, GELU(-1) = -0.158655
        assertEquals(0.8413447, gelu(1), 1e-7);
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        INDArray x = Nd4j.linspace(DataType.DOUBLE, -4, 0.5, 17);
        INDArray eps = Nd4j.linspace(DataType.DOUBLE, 1, 0.1, 17);
        INDArray grad = new GeluActivation().backprop(x.dup(), eps.dup()).getFirst();
        for (int i = 0; i < x.length(); i++) {
            double v = x.getDouble(i);
            double numeric = (gelu(v + 1e-6) - gelu(v - 1e-6)) / 2e-6;
            assertEquals(numeric * eps.getDouble(i), grad.getDouble(i), 1e-6, "d gelu at " + v);
        }
    }
}
