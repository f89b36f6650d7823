package dev.cnnlab.inference.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GemmTest {
    private static final boolean VECTOR_MODULE =
            ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    interface Kernel {
        void multiplyAdd(int rowFrom, int rowTo, int from, int to, int k, float[] a, float[][] b, float[][] c);
    }

    /** Checks C += A B on the rows [rowFrom, m) and columns [from, to) against a double-precision product. */
    private static void check(Kernel kernel, int rowFrom, int m, int n, int from, int to, int k, long seed) {
        Random r = new Random(seed);
        float[] a = new float[m * k];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextFloat() * 2 - 1;
        }
        float[][] b = new float[k][n];
        for (float[] row : b) {
            for (int j = 0; j < n; j++) {
                row[j] = r.nextFloat() * 2 - 1;
            }
        }
        float[][] c = new float[m][n];
        for (float[] row : c) {
            Arrays.fill(row, 0.5f);
        }
        kernel.multiplyAdd(rowFrom, m, from, to, k, a, b, c);
        String shape = "[" + rowFrom + "," + m + ")x[" + from + "," + to + ")x" + k;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double expected = 0.5;
                if (i >= rowFrom && j >= from && j < to) {
                    for (int p = 0; p < k; p++) {
                        expected += (double) a[i * k + p] * b[p][j];
                    }
                }
                assertEquals(expected, c[i][j], 1e-4 * (1 + Math.sqrt(k)),
                        shape + " at (" + i + "," + j + ")");
            }
        }
    }

    /** Row counts around the 4- and 6-row tiles, column ranges around 1 and 2 vectors, odd offsets, row blocks. */
    private static void checkRaggedShapes(Kernel kernel) {
        long seed = 0;
        for (int m : new int[] {1, 3, 4, 5, 6, 9, 10, 13}) {
            for (int[] cols : new int[][] {{0, 1}, {0, 15}, {0, 16}, {0, 17}, {0, 32}, {3, 40},
                    {0, 64}, {16, 80}, {5, 70}, {0, 100}, {0, 115}}) {
                for (int k : new int[] {1, 7, 64}) {
                    check(kernel, 0, m, cols[1] + 3, cols[0], cols[1], k, seed++);
                    // a block of rows, as a convolution split by output channels computes
                    check(kernel, m / 2, m + m / 2, cols[1] + 3, cols[0], cols[1], k, seed++);
                }
            }
        }
    }

    @Test
    void plainKernelMatchesTheProductOnRaggedShapesAndLeavesOtherColumnsAlone() {
        checkRaggedShapes(Gemm::plain);
    }

    @Test
    void tiledKernelMatchesTheProductOnRaggedShapesAndLeavesOtherColumnsAlone() {
        checkRaggedShapes(TiledGemm::multiplyAdd);
        // k across more than one of its blocks of 128, rows and columns off its 4 x 3 tiles
        long seed = 1000;
        for (int k : new int[] {127, 128, 129, 300}) {
            check(TiledGemm::multiplyAdd, 0, 9, 40, 1, 36, k, seed++);
            check(TiledGemm::multiplyAdd, 2, 14, 50, 4, 47, k, seed++);
        }
    }

    @Test
    void vectorKernelMatchesTheProductOnRaggedShapesAndLeavesOtherColumnsAlone() {
        assumeTrue(VECTOR_MODULE, "needs --add-modules jdk.incubator.vector");
        checkRaggedShapes(VectorGemm::multiplyAdd);
    }

    @Test
    void theVectorKernelRunsUnlessTurnedOff() {
        // the build passes --add-modules jdk.incubator.vector to the tests (see the pom), and
        // two executions turn SIMD off, one of them with the tiled scalar kernel, so all three
        // kernels run the network tests
        boolean off = "false".equals(System.getProperty("cnnlab.inference.simd"));
        String scalar = "tiled".equals(System.getProperty(Gemm.SCALAR_PROPERTY)) ? "tiled" : "plain";
        assertEquals(off ? scalar : "vector-" + VectorGemm.bits(), Gemm.kernel());
    }

    @Test
    void theScalarKernelIsPlainOnAJvmUnlessTiledIsAskedFor() {
        // on a JVM (no org.graalvm.nativeimage.imagecode) C2 vectorizes the plain loops
        assertEquals("tiled".equals(System.getProperty(Gemm.SCALAR_PROPERTY)), Gemm.tiled());
    }
}
