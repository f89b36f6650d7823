package dev.cnnlab.inference.nn;

/**
 * The scalar matrix kernel for compilers that vectorize nothing (GraalVM CE's native-image
 * compiler): register tiles of 4 rows x 3 columns of C kept in local variables.
 *
 * <p>{@link Gemm#plain}'s loops are written for HotSpot's C2, which turns the inner loop into
 * SIMD instructions. Compiled scalar, the same loop loads and stores an element of C for every
 * four multiply-adds and bounds-checks five arrays per step. Here each step over k loads 4
 * values of A and 3 of B and does 12 fused multiply-adds into 12 accumulators; C is loaded and
 * stored once per block of k. 12 accumulators, 3 values of B and 1 of A are the 16 floating-point
 * registers of x86-64 (AVX2) without spilling, and 12 independent sums cover the latency of the
 * fused multiply-add. {@link Math#fma} compiles to one instruction on a CPU with FMA (every
 * x86-64-v3 one, the native image's default target), and rounds once instead of twice, so sums
 * differ from the other kernels' in the last bits only.
 */
final class TiledGemm {
    /** Rows of A multiplied per pass over a block of k: A's rows stay in L1 meanwhile. */
    private static final int BLOCK_K = 128;

    private TiledGemm() {
    }

    /**
     * Computes {@code c[i][j] += sum_p a[i * k + p] * b[p][j]} for rowFrom <= i < rowTo,
     * from <= j < to, p < k; no other element of C is touched.
     *
     * @param rowFrom first row of A and C
     * @param rowTo end row, exclusive
     * @param from first column of B and C
     * @param to end column, exclusive
     * @param k columns of A, rows of B
     * @param a A, row-major, k values per row
     * @param b the rows of B, each at least {@code to} long
     * @param c the rows of C, each at least {@code to} long
     */
    static void multiplyAdd(int rowFrom, int rowTo, int from, int to, int k, float[] a,
            float[][] b, float[][] c) {
        int cols3 = from + (to - from) / 3 * 3;
        for (int p0 = 0; p0 < k; p0 += BLOCK_K) {
            int p1 = Math.min(k, p0 + BLOCK_K);
            int i = rowFrom;
            for (; i + 3 < rowTo; i += 4) {
                for (int j = from; j < cols3; j += 3) {
                    tile4x3(i, j, p0, p1, k, a, b, c);
                }
                for (int r = i; r < i + 4; r++) {
                    row(r, cols3, to, p0, p1, k, a, b, c[r]);
                }
            }
            for (; i < rowTo; i++) {
                row(i, from, to, p0, p1, k, a, b, c[i]);
            }
        }
    }

    /** C[i..i+3][j..j+2] += A[i..i+3][p0..p1) B[p0..p1)[j..j+2]. */
    private static void tile4x3(int i, int j, int p0, int p1, int k, float[] a, float[][] b,
            float[][] c) {
        float[] c0 = c[i];
        float[] c1 = c[i + 1];
        float[] c2 = c[i + 2];
        float[] c3 = c[i + 3];
        float s00 = c0[j];
        float s01 = c0[j + 1];
        float s02 = c0[j + 2];
        float s10 = c1[j];
        float s11 = c1[j + 1];
        float s12 = c1[j + 2];
        float s20 = c2[j];
        float s21 = c2[j + 1];
        float s22 = c2[j + 2];
        float s30 = c3[j];
        float s31 = c3[j + 1];
        float s32 = c3[j + 2];
        int a0 = i * k;
        int a1 = a0 + k;
        int a2 = a1 + k;
        int a3 = a2 + k;
        for (int p = p0; p < p1; p++) {
            float[] bp = b[p];
            float b0 = bp[j];
            float b1 = bp[j + 1];
            float b2 = bp[j + 2];
            float x = a[a0 + p];
            s00 = Math.fma(x, b0, s00);
            s01 = Math.fma(x, b1, s01);
            s02 = Math.fma(x, b2, s02);
            x = a[a1 + p];
            s10 = Math.fma(x, b0, s10);
            s11 = Math.fma(x, b1, s11);
            s12 = Math.fma(x, b2, s12);
            x = a[a2 + p];
            s20 = Math.fma(x, b0, s20);
            s21 = Math.fma(x, b1, s21);
            s22 = Math.fma(x, b2, s22);
            x = a[a3 + p];
            s30 = Math.fma(x, b0, s30);
            s31 = Math.fma(x, b1, s31);
            s32 = Math.fma(x, b2, s32);
        }
        c0[j] = s00;
        c0[j + 1] = s01;
        c0[j + 2] = s02;
        c1[j] = s10;
        c1[j + 1] = s11;
        c1[j + 2] = s12;
        c2[j] = s20;
        c2[j + 1] = s21;
        c2[j + 2] = s22;
        c3[j] = s30;
        c3[j + 1] = s31;
        c3[j + 2] = s32;
    }

    /** One row of C over the columns [from, to) and the block [p0, p1) of k: the tails. */
    private static void row(int i, int from, int to, int p0, int p1, int k, float[] a,
            float[][] b, float[] ci) {
        int aRow = i * k;
        for (int j = from; j < to; j++) {
            float s = ci[j];
            for (int p = p0; p < p1; p++) {
                s = Math.fma(a[aRow + p], b[p][j], s);
            }
            ci[j] = s;
        }
    }
}
