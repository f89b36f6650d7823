package dev.cnnlab.inference.nn;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The matrix multiply of {@link Gemm} with explicit SIMD (the JDK's incubating Vector API):
 * a register tile of 6 rows of C by 4 vectors of columns (4 by 4, 4 by 2 and single rows at the
 * edges) stays in registers for the whole k loop, so each step loads 4 vectors of B and 6
 * scalars of A for 24 fused multiply-adds. Measured on this project's machine (AVX-512, 16
 * floats a vector): 50-56 GMAC/s per core on the built-in networks' shapes (4 by 4: 47-54;
 * 4 by 2: 41-50), against 13-20 for the plain loops of {@link Gemm}.
 *
 * <p>Only loaded when the JVM runs with {@code --add-modules jdk.incubator.vector}; see
 * {@link Gemm#kernel()}.
 */
final class VectorGemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorGemm() {
    }

    /** Returns the vector width in bits. */
    static int bits() {
        return S.vectorBitSize();
    }

    /** Returns the columns of C one register tile covers. */
    static int tileColumns() {
        return 2 * L;
    }

    /**
     * Same contract as {@link Gemm#multiplyAdd(int, int, int, int, int, float[], float[][], float[][])}. Column tiles are the outer loop, so one strip of
     * B (k rows by a tile's columns) stays in cache while every block of rows uses it: B is read
     * from memory once, A once per strip (A is the smaller of the two for every built-in layer
     * that is not multiplied transposed).
     */
    static void multiplyAdd(int rowFrom, int m, int from, int to, int k, float[] a, float[][] b,
            float[][] c) {
        int m4 = rowFrom + ((m - rowFrom) & ~3);
        int j = from;
        for (; j + 4 * L <= to; j += 4 * L) {
            int i = rowFrom;
            for (; i + 6 <= m; i += 6) {
                tile6x4(i, j, k, a, b, c);
            }
            if (i + 4 <= m) {
                tile4x4(i, j, k, a, b, c);
                i += 4;
            }
            for (; i < m; i++) {
                row4(i, j, k, a, b, c[i]);
            }
        }
        int j4 = j; // columns from here on: 4 by 2 tiles, single rows
        for (; j + 2 * L <= to; j += 2 * L) {
            for (int i = rowFrom; i < m4; i += 4) {
                tile4x2(i, j, k, a, b, c);
            }
        }
        for (; j + L <= to; j += L) {
            for (int i = rowFrom; i < m4; i++) {
                row(i, j, k, a, b, c[i]);
            }
        }
        for (int i = m4; i < m; i++) { // the last m % 4 rows over the columns of the narrower tiles
            for (int jv = j4; jv < j; jv += L) {
                row(i, jv, k, a, b, c[i]);
            }
        }
        for (int i = rowFrom; i < m; i++) {
            Gemm.plainRow(i, j, to, k, a, b, c[i]);
        }
    }

    /**
     * C[i..i+5][j..j+4L) += A[i..i+5][:] B[:][j..j+4L): 24 accumulators, and each step's 4 loads
     * of B and 6 broadcasts of A feed 24 fused multiply-adds (7-12% faster than 4 by 4 here).
     */
    private static void tile6x4(int i, int j, int k, float[] a, float[][] b, float[][] c) {
        float[] c0 = c[i];
        float[] c1 = c[i + 1];
        float[] c2 = c[i + 2];
        float[] c3 = c[i + 3];
        float[] c4 = c[i + 4];
        float[] c5 = c[i + 5];
        int j1 = j + L;
        int j2 = j + 2 * L;
        int j3 = j + 3 * L;
        FloatVector x00 = FloatVector.fromArray(S, c0, j);
        FloatVector x01 = FloatVector.fromArray(S, c0, j1);
        FloatVector x02 = FloatVector.fromArray(S, c0, j2);
        FloatVector x03 = FloatVector.fromArray(S, c0, j3);
        FloatVector x10 = FloatVector.fromArray(S, c1, j);
        FloatVector x11 = FloatVector.fromArray(S, c1, j1);
        FloatVector x12 = FloatVector.fromArray(S, c1, j2);
        FloatVector x13 = FloatVector.fromArray(S, c1, j3);
        FloatVector x20 = FloatVector.fromArray(S, c2, j);
        FloatVector x21 = FloatVector.fromArray(S, c2, j1);
        FloatVector x22 = FloatVector.fromArray(S, c2, j2);
        FloatVector x23 = FloatVector.fromArray(S, c2, j3);
        FloatVector x30 = FloatVector.fromArray(S, c3, j);
        FloatVector x31 = FloatVector.fromArray(S, c3, j1);
        FloatVector x32 = FloatVector.fromArray(S, c3, j2);
        FloatVector x33 = FloatVector.fromArray(S, c3, j3);
        FloatVector x40 = FloatVector.fromArray(S, c4, j);
        FloatVector x41 = FloatVector.fromArray(S, c4, j1);
        FloatVector x42 = FloatVector.fromArray(S, c4, j2);
        FloatVector x43 = FloatVector.fromArray(S, c4, j3);
        FloatVector x50 = FloatVector.fromArray(S, c5, j);
        FloatVector x51 = FloatVector.fromArray(S, c5, j1);
        FloatVector x52 = FloatVector.fromArray(S, c5, j2);
        FloatVector x53 = FloatVector.fromArray(S, c5, j3);
        int r0 = i * k;
        int r1 = r0 + k;
        int r2 = r1 + k;
        int r3 = r2 + k;
        int r4 = r3 + k;
        int r5 = r4 + k;
        for (int p = 0; p < k; p++) {
            float[] bp = b[p];
            FloatVector b0 = FloatVector.fromArray(S, bp, j);
            FloatVector b1 = FloatVector.fromArray(S, bp, j1);
            FloatVector b2 = FloatVector.fromArray(S, bp, j2);
            FloatVector b3 = FloatVector.fromArray(S, bp, j3);
            FloatVector w = FloatVector.broadcast(S, a[r0 + p]);
            x00 = b0.fma(w, x00);
            x01 = b1.fma(w, x01);
            x02 = b2.fma(w, x02);
            x03 = b3.fma(w, x03);
            w = FloatVector.broadcast(S, a[r1 + p]);
            x10 = b0.fma(w, x10);
            x11 = b1.fma(w, x11);
            x12 = b2.fma(w, x12);
            x13 = b3.fma(w, x13);
            w = FloatVector.broadcast(S, a[r2 + p]);
            x20 = b0.fma(w, x20);
            x21 = b1.fma(w, x21);
            x22 = b2.fma(w, x22);
            x23 = b3.fma(w, x23);
            w = FloatVector.broadcast(S, a[r3 + p]);
            x30 = b0.fma(w, x30);
            x31 = b1.fma(w, x31);
            x32 = b2.fma(w, x32);
            x33 = b3.fma(w, x33);
            w = FloatVector.broadcast(S, a[r4 + p]);
            x40 = b0.fma(w, x40);
            x41 = b1.fma(w, x41);
            x42 = b2.fma(w, x42);
            x43 = b3.fma(w, x43);
            w = FloatVector.broadcast(S, a[r5 + p]);
            x50 = b0.fma(w, x50);
            x51 = b1.fma(w, x51);
            x52 = b2.fma(w, x52);
            x53 = b3.fma(w, x53);
        }
        x00.intoArray(c0, j);
        x01.intoArray(c0, j1);
        x02.intoArray(c0, j2);
        x03.intoArray(c0, j3);
        x10.intoArray(c1, j);
        x11.intoArray(c1, j1);
        x12.intoArray(c1, j2);
        x13.intoArray(c1, j3);
        x20.intoArray(c2, j);
        x21.intoArray(c2, j1);
        x22.intoArray(c2, j2);
        x23.intoArray(c2, j3);
        x30.intoArray(c3, j);
        x31.intoArray(c3, j1);
        x32.intoArray(c3, j2);
        x33.intoArray(c3, j3);
        x40.intoArray(c4, j);
        x41.intoArray(c4, j1);
        x42.intoArray(c4, j2);
        x43.intoArray(c4, j3);
        x50.intoArray(c5, j);
        x51.intoArray(c5, j1);
        x52.intoArray(c5, j2);
        x53.intoArray(c5, j3);
    }

    /** C[i][j..j+4L) += A[i][:] B[:][j..j+4L): the rows a 6 or 4 row tile leaves. */
    private static void row4(int i, int j, int k, float[] a, float[][] b, float[] ci) {
        int j1 = j + L;
        int j2 = j + 2 * L;
        int j3 = j + 3 * L;
        FloatVector x0 = FloatVector.fromArray(S, ci, j);
        FloatVector x1 = FloatVector.fromArray(S, ci, j1);
        FloatVector x2 = FloatVector.fromArray(S, ci, j2);
        FloatVector x3 = FloatVector.fromArray(S, ci, j3);
        int r = i * k;
        for (int p = 0; p < k; p++) {
            float[] bp = b[p];
            FloatVector w = FloatVector.broadcast(S, a[r + p]);
            x0 = FloatVector.fromArray(S, bp, j).fma(w, x0);
            x1 = FloatVector.fromArray(S, bp, j1).fma(w, x1);
            x2 = FloatVector.fromArray(S, bp, j2).fma(w, x2);
            x3 = FloatVector.fromArray(S, bp, j3).fma(w, x3);
        }
        x0.intoArray(ci, j);
        x1.intoArray(ci, j1);
        x2.intoArray(ci, j2);
        x3.intoArray(ci, j3);
    }

    /**
     * C[i..i+3][j..j+4L) += A[i..i+3][:] B[:][j..j+4L): 16 accumulators, and each step's 4
     * loads of B and 4 broadcasts of A feed 16 fused multiply-adds.
     */
    private static void tile4x4(int i, int j, int k, float[] a, float[][] b, float[][] c) {
        float[] c0 = c[i];
        float[] c1 = c[i + 1];
        float[] c2 = c[i + 2];
        float[] c3 = c[i + 3];
        int j1 = j + L;
        int j2 = j + 2 * L;
        int j3 = j + 3 * L;
        FloatVector x00 = FloatVector.fromArray(S, c0, j);
        FloatVector x01 = FloatVector.fromArray(S, c0, j1);
        FloatVector x02 = FloatVector.fromArray(S, c0, j2);
        FloatVector x03 = FloatVector.fromArray(S, c0, j3);
        FloatVector x10 = FloatVector.fromArray(S, c1, j);
        FloatVector x11 = FloatVector.fromArray(S, c1, j1);
        FloatVector x12 = FloatVector.fromArray(S, c1, j2);
        FloatVector x13 = FloatVector.fromArray(S, c1, j3);
        FloatVector x20 = FloatVector.fromArray(S, c2, j);
        FloatVector x21 = FloatVector.fromArray(S, c2, j1);
        FloatVector x22 = FloatVector.fromArray(S, c2, j2);
        FloatVector x23 = FloatVector.fromArray(S, c2, j3);
        FloatVector x30 = FloatVector.fromArray(S, c3, j);
        FloatVector x31 = FloatVector.fromArray(S, c3, j1);
        FloatVector x32 = FloatVector.fromArray(S, c3, j2);
        FloatVector x33 = FloatVector.fromArray(S, c3, j3);
        int r0 = i * k;
        int r1 = r0 + k;
        int r2 = r1 + k;
        int r3 = r2 + k;
        for (int p = 0; p < k; p++) {
            float[] bp = b[p];
            FloatVector b0 = FloatVector.fromArray(S, bp, j);
            FloatVector b1 = FloatVector.fromArray(S, bp, j1);
            FloatVector b2 = FloatVector.fromArray(S, bp, j2);
            FloatVector b3 = FloatVector.fromArray(S, bp, j3);
            FloatVector w = FloatVector.broadcast(S, a[r0 + p]);
            x00 = b0.fma(w, x00);
            x01 = b1.fma(w, x01);
            x02 = b2.fma(w, x02);
            x03 = b3.fma(w, x03);
            w = FloatVector.broadcast(S, a[r1 + p]);
            x10 = b0.fma(w, x10);
            x11 = b1.fma(w, x11);
            x12 = b2.fma(w, x12);
            x13 = b3.fma(w, x13);
            w = FloatVector.broadcast(S, a[r2 + p]);
            x20 = b0.fma(w, x20);
            x21 = b1.fma(w, x21);
            x22 = b2.fma(w, x22);
            x23 = b3.fma(w, x23);
            w = FloatVector.broadcast(S, a[r3 + p]);
            x30 = b0.fma(w, x30);
            x31 = b1.fma(w, x31);
            x32 = b2.fma(w, x32);
            x33 = b3.fma(w, x33);
        }
        x00.intoArray(c0, j);
        x01.intoArray(c0, j1);
        x02.intoArray(c0, j2);
        x03.intoArray(c0, j3);
        x10.intoArray(c1, j);
        x11.intoArray(c1, j1);
        x12.intoArray(c1, j2);
        x13.intoArray(c1, j3);
        x20.intoArray(c2, j);
        x21.intoArray(c2, j1);
        x22.intoArray(c2, j2);
        x23.intoArray(c2, j3);
        x30.intoArray(c3, j);
        x31.intoArray(c3, j1);
        x32.intoArray(c3, j2);
        x33.intoArray(c3, j3);
    }

    /** C[i..i+3][j..j+2L) += A[i..i+3][:] B[:][j..j+2L). */
    private static void tile4x2(int i, int j, int k, float[] a, float[][] b, float[][] c) {
        float[] c0 = c[i];
        float[] c1 = c[i + 1];
        float[] c2 = c[i + 2];
        float[] c3 = c[i + 3];
        FloatVector x00 = FloatVector.fromArray(S, c0, j);
        FloatVector x01 = FloatVector.fromArray(S, c0, j + L);
        FloatVector x10 = FloatVector.fromArray(S, c1, j);
        FloatVector x11 = FloatVector.fromArray(S, c1, j + L);
        FloatVector x20 = FloatVector.fromArray(S, c2, j);
        FloatVector x21 = FloatVector.fromArray(S, c2, j + L);
        FloatVector x30 = FloatVector.fromArray(S, c3, j);
        FloatVector x31 = FloatVector.fromArray(S, c3, j + L);
        int r0 = i * k;
        int r1 = r0 + k;
        int r2 = r1 + k;
        int r3 = r2 + k;
        for (int p = 0; p < k; p++) {
            float[] bp = b[p];
            FloatVector b0 = FloatVector.fromArray(S, bp, j);
            FloatVector b1 = FloatVector.fromArray(S, bp, j + L);
            FloatVector w = FloatVector.broadcast(S, a[r0 + p]);
            x00 = b0.fma(w, x00);
            x01 = b1.fma(w, x01);
            w = FloatVector.broadcast(S, a[r1 + p]);
            x10 = b0.fma(w, x10);
            x11 = b1.fma(w, x11);
            w = FloatVector.broadcast(S, a[r2 + p]);
            x20 = b0.fma(w, x20);
            x21 = b1.fma(w, x21);
            w = FloatVector.broadcast(S, a[r3 + p]);
            x30 = b0.fma(w, x30);
            x31 = b1.fma(w, x31);
        }
        x00.intoArray(c0, j);
        x01.intoArray(c0, j + L);
        x10.intoArray(c1, j);
        x11.intoArray(c1, j + L);
        x20.intoArray(c2, j);
        x21.intoArray(c2, j + L);
        x30.intoArray(c3, j);
        x31.intoArray(c3, j + L);
    }

    /** C[i][j..j+L) += A[i][:] B[:][j..j+L). */
    private static void row(int i, int j, int k, float[] a, float[][] b, float[] ci) {
        FloatVector x = FloatVector.fromArray(S, ci, j);
        int r = i * k;
        for (int p = 0; p < k; p++) {
            x = FloatVector.fromArray(S, b[p], j).fma(FloatVector.broadcast(S, a[r + p]), x);
        }
        x.intoArray(ci, j);
    }
}
