package dev.cnnlab.inference.nn;

/**
 * Single-precision matrix multiply-accumulate written as plain loops that HotSpot's C2 compiler
 * vectorizes.
 *
 * <p>B and C are arrays of rows, and the inner loop indexes a row of B and a row of C with the
 * same index: C2 (JDK 17) does not vectorize {@code y[yOff + j] += a * x[xOff + j]} when the two
 * offsets differ by an unknown amount (the arrays might alias), but it does vectorize
 * {@code c[j] += a * b[j]}. Measured on this project's machine: about 15-20 GMAC/s per core
 * against 3 for the flat-offset form. The loop over k is unrolled by four so each pass over a C
 * row does four multiply-adds per load and store of C; blocking over n and k keeps the touched
 * rows of B in L2 while a C row stays in L1.
 */
final class Gemm {
    private static final int BLOCK_N = 1024;
    private static final int BLOCK_K = 256;

    private Gemm() {
    }

    /**
     * Computes {@code c[i][j] += sum_p a[i * k + p] * b[p][j]} for i < m, j < n, p < k.
     *
     * @param m rows of A and C
     * @param n columns of B and C used
     * @param k columns of A, rows of B
     * @param a A, row-major, {@code m * k} values
     * @param b the rows of B, each at least n long
     * @param c the rows of C, each at least n long
     */
    static void multiplyAdd(int m, int n, int k, float[] a, float[][] b, float[][] c) {
        for (int j0 = 0; j0 < n; j0 += BLOCK_N) {
            int j1 = Math.min(n, j0 + BLOCK_N);
            for (int p0 = 0; p0 < k; p0 += BLOCK_K) {
                int p1 = Math.min(k, p0 + BLOCK_K);
                for (int i = 0; i < m; i++) {
                    float[] ci = c[i];
                    int aRow = i * k;
                    int p = p0;
                    for (; p + 3 < p1; p += 4) {
                        float a0 = a[aRow + p];
                        float a1 = a[aRow + p + 1];
                        float a2 = a[aRow + p + 2];
                        float a3 = a[aRow + p + 3];
                        float[] b0 = b[p];
                        float[] b1 = b[p + 1];
                        float[] b2 = b[p + 2];
                        float[] b3 = b[p + 3];
                        for (int j = j0; j < j1; j++) {
                            ci[j] += a0 * b0[j] + a1 * b1[j] + a2 * b2[j] + a3 * b3[j];
                        }
                    }
                    for (; p < p1; p++) {
                        axpy(a[aRow + p], b[p], ci, j0, j1);
                    }
                }
            }
        }
    }

    /**
     * Computes {@code y[j] += alpha * x[j]} for {@code from <= j < to}.
     *
     * @param alpha the scale
     * @param x the source row
     * @param y the destination row
     * @param from first index
     * @param to end index, exclusive
     */
    static void axpy(float alpha, float[] x, float[] y, int from, int to) {
        for (int j = from; j < to; j++) {
            y[j] += alpha * x[j];
        }
    }
}
