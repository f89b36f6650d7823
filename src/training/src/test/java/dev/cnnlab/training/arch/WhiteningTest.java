package dev.cnnlab.training.arch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

class WhiteningTest {

    /** Smooth, correlated images: neighbouring pixels and channels are alike, as in photographs. */
    private static INDArray images(int n) {
        INDArray noise = Nd4j.rand(DataType.FLOAT, n, 1, 9, 9).subi(0.5);
        INDArray x = Nd4j.create(DataType.FLOAT, n, 3, 8, 8);
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < 8; y++) {
                for (int z = 0; z < 8; z++) {
                    double v = noise.getDouble(i, 0, y, z) + noise.getDouble(i, 0, y + 1, z + 1);
                    for (int c = 0; c < 3; c++) {
                        x.putScalar(new int[] {i, c, y, z}, v * (1 + 0.3 * c) + 0.05 * Math.sin(7 * i + c + y * z));
                    }
                }
            }
        }
        return x;
    }

    @Test
    void filtersWhitenThePatches() {
        INDArray x = images(200);
        INDArray w = Whitening.filters(x, 2, 24);
        assertArrayEquals(new long[] {24, 3, 2, 2}, w.shape());
        // the first 12 filters applied to every 2x2 patch: the responses' covariance is about the identity
        // (eigenvalue / (eigenvalue + eps): the strongest directions reach 1, the weakest are damped)
        double[][] cov = new double[12][12];
        long count = 0;
        float[] f = w.dup('c').data().asFloat();
        float[] img = x.dup('c').data().asFloat();
        double[] r = new double[12];
        for (int i = 0; i < 200; i++) {
            for (int y = 0; y < 7; y++) {
                for (int z = 0; z < 7; z++) {
                    for (int o = 0; o < 12; o++) {
                        double s = 0;
                        for (int c = 0; c < 3; c++) {
                            for (int ky = 0; ky < 2; ky++) {
                                for (int kx = 0; kx < 2; kx++) {
                                    s += f[((o * 3 + c) * 2 + ky) * 2 + kx] * img[((i * 3 + c) * 8 + y + ky) * 8 + z + kx];
                                }
                            }
                        }
                        r[o] = s;
                    }
                    for (int a = 0; a < 12; a++) {
                        for (int b = 0; b < 12; b++) {
                            cov[a][b] += r[a] * r[b];
                        }
                    }
                    count++;
                }
            }
        }
        for (int a = 0; a < 4; a++) { // the four strongest directions
            assertEquals(1, cov[a][a] / count, 0.02, "variance of response " + a);
        }
        for (int a = 0; a < 12; a++) {
            for (int b = 0; b < 12; b++) {
                if (a != b) {
                    assertEquals(0, cov[a][b] / count, 1e-3, "covariance of responses " + a + ", " + b);
                }
            }
        }
        // the second half is the first, negated
        assertEquals(0, w.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 12))
                .add(w.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(12, 24))).amaxNumber().doubleValue(), 0);
    }

    @Test
    void refusesALayerOfTheWrongWidth() {
        var e = assertThrows(IllegalArgumentException.class, () -> Whitening.filters(images(2), 2, 16));
        assertTrue(e.getMessage().contains("24 filters, not 16"), e.getMessage());
    }

    @Test
    void airbenchLayersLearnAsTheSpecSays() {
        ArchitectureSpec spec = Architectures.get("airbench94");
        assertTrue(Whitening.needed(spec));
        ComputationGraph net = NetworkBuilder.build(spec, 7);
        INDArray x = images(4);
        INDArray x32 = Nd4j.rand(DataType.FLOAT, 4, 3, 32, 32).subi(0.5);
        Whitening.initialize(net, spec, x32);
        INDArray whitening = net.getLayer("whiten").getParam("W").dup();
        assertEquals(Whitening.filters(x32, 2, 24), whitening);
        // dirac: the first 24 filters of the first block's conv pass their channel through
        INDArray dirac = net.getLayer("b1_conv1").getParam("W");
        assertEquals(1.0, dirac.getDouble(5, 5, 1, 1), 0);
        assertEquals(0.0, dirac.getDouble(5, 6, 1, 1), 0);
        assertEquals(0.0, dirac.getDouble(5, 5, 0, 1), 0);
        assertTrue(dirac.getDouble(30, 5, 1, 1) != 0, "filters past the input channels keep their init");

        INDArray y = Nd4j.zeros(4, 10);
        for (int i = 0; i < 4; i++) {
            y.putScalar(i, i, 1);
        }
        net.fit(new DataSet(x32, y));
        net.fit(new DataSet(x32, y));
        assertEquals(whitening, net.getLayer("whiten").getParam("W"), "the whitening filters are frozen");
        INDArray gamma = net.getLayer("b1_bn1").getParam("gamma");
        assertEquals(1.0, gamma.minNumber().doubleValue(), 0, "fixed scale");
        assertEquals(1.0, gamma.maxNumber().doubleValue(), 0, "fixed scale");
        assertTrue(net.getLayer("b1_bn1").getParam("beta").amaxNumber().doubleValue() > 0, "the shift learns");
        assertTrue(x.size(0) == 4);
    }
}
