package dev.cnnlab.inference.nn;

/**
 * Single-precision matrix multiply-accumulate on row-major arrays, written as plain loops whose
 * innermost loop (a saxpy over a row of B and C) the HotSpot C2 compiler vectorizes.
 */
final class Gemm {
    private static final int BLOCK_N = 512;
    private static final int BLOCK_K = 128;

    private Gemm() {
    }

    /**
     * Computes {@code C[m][n] += A[m][k] * B[k][n]}.
     *
     * @param m rows of A and C
     * @param n columns of B and C
     * @param k columns of A, rows of B
     * @param a A, row-major from {@code aOff}
     * @param aOff offset of A
     * @param b B, row-major from {@code bOff}
     * @param bOff offset of B
     * @param c C, row-major from {@code cOff}
     * @param cOff offset of C
     */
    static void multiplyAdd(int m, int n, int k, float[] a, int aOff, float[] b, int bOff,
            float[] c, int cOff) {
        for (int j0 = 0; j0 < n; j0 += BLOCK_N) {
            int j1 = Math.min(n, j0 + BLOCK_N);
            for (int p0 = 0; p0 < k; p0 += BLOCK_K) {
                int p1 = Math.min(k, p0 + BLOCK_K);
                for (int i = 0; i < m; i++) {
                    int aRow = aOff + i * k;
                    int cRow = cOff + i * n;
                    for (int p = p0; p < p1; p++) {
                        float av = a[aRow + p];
                        if (av == 0f) {
                            continue;
                        }
                        axpy(av, b, bOff + p * n + j0, c, cRow + j0, j1 - j0);
                    }
                }
            }
        }
    }

    /**
     * Computes {@code y[yOff..yOff+len) += alpha * x[xOff..xOff+len)}.
     *
     * @param alpha the scale
     * @param x the source
     * @param xOff offset of x
     * @param y the destination
     * @param yOff offset of y
     * @param len number of elements
     */
    static void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int len) {
        for (int j = 0; j < len; j++) {
            y[yOff + j] += alpha * x[xOff + j];
        }
    }
}
