package dev.cnnlab.inference.nn;

/**
 * Single-precision matrix multiply-accumulate: {@link VectorGemm}'s explicit SIMD kernel when the
 * JVM has the Vector API ({@code --add-modules jdk.incubator.vector}), else one of two scalar
 * kernels, chosen at run time: on a JVM, plain loops that HotSpot's C2 compiler vectorizes; in a
 * native image, whose compiler (GraalVM CE) vectorizes nothing, {@link TiledGemm}'s register
 * tiles. {@code -Dcnnlab.inference.simd=false} turns the SIMD kernel off;
 * {@code -Dcnnlab.inference.scalar=plain} or {@code =tiled} picks the scalar kernel (read when
 * the first product runs, so also at a native executable's run time).
 *
 * <p>About the plain loops: B and C are arrays of rows, and the inner loop indexes a row of B
 * and a row of C with the same index: C2 (JDK 17) does not vectorize
 * {@code y[yOff + j] += a * x[xOff + j]} when the two offsets differ by an unknown amount (the
 * arrays might alias), but it does vectorize {@code c[j] += a * b[j]}. Measured on this
 * project's machine: about 13-20 GMAC/s per core against 3 for the flat-offset form. The loop
 * over k is unrolled by four so each pass over a C row does four multiply-adds per load and
 * store of C; blocking over n and k keeps the touched rows of B in L2 while a C row stays in L1.
 */
final class Gemm {
    private static final int BLOCK_N = 1024;
    private static final int BLOCK_K = 256;
    private static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector")
            .isPresent() && !"false".equals(System.getProperty("cnnlab.inference.simd"));
    /** The system property that picks the scalar kernel, {@code plain} or {@code tiled}. */
    static final String SCALAR_PROPERTY = "cnnlab.inference.scalar";
    /**
     * Whether the scalar kernel is {@link TiledGemm}; null until the first product asks. Not set
     * by the class initializer: a native image runs that at build time (see
     * application.properties), where neither the property nor the executable's nature is known.
     */
    private static volatile Boolean tiled;

    private Gemm() {
    }

    /**
     * Names the kernel in use, for logs and benchmarks.
     *
     * @return {@code "vector-512"} (the SIMD width in bits), {@code "tiled"} or {@code "plain"}
     */
    static String kernel() {
        return VECTOR ? "vector-" + VectorGemm.bits() : tiled() ? "tiled" : "plain";
    }

    /**
     * Says whether the scalar kernel is {@link TiledGemm}: as {@value #SCALAR_PROPERTY} says, by
     * default in a native image (GraalVM sets {@code org.graalvm.nativeimage.imagecode} to
     * {@code runtime} there) and not on a JVM.
     */
    static boolean tiled() {
        Boolean t = tiled;
        if (t == null) {
            String choice = System.getProperty(SCALAR_PROPERTY, "");
            t = switch (choice) {
                case "tiled" -> true;
                case "plain" -> false;
                case "" -> "runtime".equals(System.getProperty("org.graalvm.nativeimage.imagecode"));
                default -> throw new IllegalArgumentException(SCALAR_PROPERTY + " must be plain or"
                        + " tiled, not '" + choice + "'");
            };
            tiled = t;
        }
        return t;
    }

    /**
     * Returns the column granularity the kernel works in best: chunks of C split on multiples
     * of it.
     *
     * @return columns
     */
    static int tileColumns() {
        return VECTOR ? VectorGemm.tileColumns() : 64;
    }

    /**
     * Says whether a convolution should multiply transposed (positions as rows of C, channels as
     * columns): when the rows of C would be too short for the kernel's inner loop.
     *
     * @param positions output positions of the convolution
     * @param channels output channels
     * @return true to compute {@code out^T = col^T W^T}
     */
    static boolean prefersTransposed(int positions, int channels) {
        return positions < channels && (!VECTOR || positions < VectorGemm.tileColumns());
    }

    /**
     * Computes {@code c[i][j] += sum_p a[i * k + p] * b[p][j]} for i < m, from <= j < to,
     * p < k: the columns {@code [from, to)} of C += A B.
     *
     * @param m rows of A and C
     * @param from first column of B and C
     * @param to end column of B and C, exclusive
     * @param k columns of A, rows of B
     * @param a A, row-major, {@code m * k} values
     * @param b the rows of B, each at least {@code to} long
     * @param c the rows of C, each at least {@code to} long
     */
    static void multiplyAdd(int m, int from, int to, int k, float[] a, float[][] b,
            float[][] c) {
        multiplyAdd(0, m, from, to, k, a, b, c);
    }

    /**
     * The same for the rows {@code [rowFrom, rowTo)} of A and C only: the block of C those rows
     * and the columns {@code [from, to)} span; no other element of C is touched.
     */
    static void multiplyAdd(int rowFrom, int rowTo, int from, int to, int k, float[] a, float[][] b,
            float[][] c) {
        if (VECTOR) {
            VectorGemm.multiplyAdd(rowFrom, rowTo, from, to, k, a, b, c);
        } else if (tiled()) {
            TiledGemm.multiplyAdd(rowFrom, rowTo, from, to, k, a, b, c);
        } else {
            plain(rowFrom, rowTo, from, to, k, a, b, c);
        }
    }

    /** {@link #multiplyAdd(int, int, int, int, int, float[], float[][], float[][])} with plain loops. */
    static void plain(int rowFrom, int m, int from, int to, int k, float[] a, float[][] b, float[][] c) {
        for (int j0 = from; j0 < to; j0 += BLOCK_N) {
            int j1 = Math.min(to, j0 + BLOCK_N);
            for (int p0 = 0; p0 < k; p0 += BLOCK_K) {
                int p1 = Math.min(k, p0 + BLOCK_K);
                for (int i = rowFrom; i < m; i++) {
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

    /** Computes row i of C over the columns {@code [from, to)} with plain loops (kernel tails). */
    static void plainRow(int i, int from, int to, int k, float[] a, float[][] b, float[] ci) {
        if (from >= to) {
            return;
        }
        for (int p = 0; p < k; p++) {
            axpy(a[i * k + p], b[p], ci, from, to);
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
