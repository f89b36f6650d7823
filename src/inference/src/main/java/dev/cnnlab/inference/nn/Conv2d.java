package dev.cnnlab.inference.nn;

/**
 * 2-D convolution (cross-correlation, like DL4J) with stride and explicit zero padding, computed
 * as im2col followed by a matrix multiply; weights {@code [out][in][kh][kw]}.
 */
final class Conv2d extends Op implements Parallel.Chunked {
    private final int cin;
    private final Window win;
    private final float[] weight;
    private final float[] bias;
    private final boolean direct;
    /** Stride 1 and output width = input width: im2col rows are shifted copies of a plane. */
    private final boolean sameWidth;
    /** Whether to compute out^T = col^T W^T: longer rows when there are few positions. */
    private final boolean transposed;
    /** W^T as rows {@code [k][out]}, built by {@link #prepare} for the transposed form. */
    private float[][] weightT;
    /** How many chunks one image's convolution is split into. */
    private int chunks = 1;
    /**
     * Whether the chunks are blocks of output channels rather than of output positions: when
     * there are too few positions to give every thread a full kernel strip (the last block of
     * keras-cifar10 has 64 positions and 128 channels).
     */
    private boolean splitChannels;

    Conv2d(String name, int input, int output, int cin, Window win, float[] weight, float[] bias,
            int cout) {
        super(name, new int[] {input}, output, new int[] {cout, win.outH(), win.outW()});
        this.cin = cin;
        this.win = win;
        this.weight = weight;
        this.bias = bias;
        this.transposed = Gemm.prefersTransposed(outShape[1] * outShape[2], outShape[0]);
        this.sameWidth = win.sh() == 1 && win.sw() == 1 && win.outW() == win.w();
        this.direct = win.kh() == 1 && win.kw() == 1 && win.sh() == 1 && win.sw() == 1
                && win.unpadded();
    }

    /** Folds a following per-channel affine {@code y = x * scale + shift} into the weights. */
    void foldAffine(float[] scale, float[] shift) {
        int k = colRows();
        for (int o = 0; o < outShape[0]; o++) {
            for (int i = 0; i < k; i++) {
                weight[o * k + i] *= scale[o];
            }
            bias[o] = bias[o] * scale[o] + shift[o];
        }
    }

    @Override
    void prepare() {
        // one chunk per thread, each at least one kernel tile wide: every chunk reads all of the
        // weights, so more chunks cost more than a late helper does (measured: 2 chunks per
        // thread made keras-cifar10 8% slower, 4 chunks 20%). With too few positions for two
        // full tiles per thread, the threads take blocks of channels instead, after one im2col.
        int threads = Parallel.threads();
        int tiles = positions() / Gemm.tileColumns();
        splitChannels = !transposed && threads > 1 && tiles < 2 * threads && outShape[0] >= 8 * threads;
        chunks = splitChannels ? threads : Math.max(1, Math.min(tiles, threads));
        if (transposed) {
            int k = colRows();
            int cout = outShape[0];
            weightT = new float[k][cout];
            for (int o = 0; o < cout; o++) {
                for (int p = 0; p < k; p++) {
                    weightT[p][o] = weight[o * k + p];
                }
            }
        }
    }

    boolean transposed() {
        return transposed;
    }

    /** Returns K, the rows of the im2col matrix. */
    int colRows() {
        return cin * win.kh() * win.kw();
    }

    /** Returns N, the output positions (columns of the im2col matrix). */
    int positions() {
        return outShape[1] * outShape[2];
    }

    @Override
    long macs() {
        return (long) outShape[0] * colRows() * positions();
    }

    @Override
    boolean canFuseRelu() {
        return true;
    }

    @Override
    void run(float[][] act, Network.Workspace ws) {
        if (transposed) {
            runTransposed(act[inputs[0]], act[output], ws.acc, ws.colT);
        } else if (splitChannels && ws.intraOp) {
            im2col(act[inputs[0]], ws.col, 0, positions());
            ws.job.run(this, chunks, act, ws);
        } else {
            ws.job.run(this, ws.intraOp ? chunks : 1, act, ws);
        }
    }

    /**
     * Computes one chunk: a block of output positions (their im2col columns, the multiply, bias
     * and ReLU) or, with {@link #splitChannels}, a block of output channels over all positions of
     * the im2col matrix {@link #run} wrote. Chunks touch disjoint parts of the accumulator and
     * the output, so they can run on different threads.
     */
    @Override
    public void runChunk(int chunk, int count, float[][] act, Network.Workspace ws) {
        int n = positions();
        int cout = outShape[0];
        int from = 0;
        int to = n;
        int o0 = 0;
        int o1 = cout;
        if (splitChannels && count > 1) {
            int per = (cout + count - 1) / count;
            o0 = Math.min(cout, chunk * per);
            o1 = Math.min(cout, o0 + per);
        } else {
            int tile = Gemm.tileColumns();
            int per = ((n + count - 1) / count + tile - 1) / tile * tile;
            from = Math.min(n, chunk * per);
            to = Math.min(n, from + per);
            if (from < to) {
                im2col(act[inputs[0]], ws.col, from, to);
            }
        }
        if (from >= to || o0 >= o1) {
            return;
        }
        float[] out = act[output];
        float[][] acc = ws.acc;
        for (int o = o0; o < o1; o++) {
            java.util.Arrays.fill(acc[o], from, to, bias[o]);
        }
        Gemm.multiplyAdd(o0, o1, from, to, colRows(), weight, ws.col, acc);
        for (int o = o0; o < o1; o++) {
            float[] row = acc[o];
            int base = o * n;
            if (relu) {
                for (int j = from; j < to; j++) {
                    out[base + j] = Math.max(row[j], 0f);
                }
            } else {
                System.arraycopy(row, from, out, base + from, to - from);
            }
        }
    }

    private void runTransposed(float[] in, float[] out, float[][] acc, float[] colT) {
        int cout = outShape[0];
        int n = positions();
        int k = colRows();
        im2colTransposed(in, colT);
        for (int j = 0; j < n; j++) {
            System.arraycopy(bias, 0, acc[j], 0, cout);
        }
        Gemm.multiplyAdd(n, 0, cout, k, colT, weightT, acc);
        for (int j = 0; j < n; j++) {
            float[] row = acc[j];
            for (int o = 0; o < cout; o++) {
                out[o * n + j] = relu ? Math.max(row[o], 0f) : row[o];
            }
        }
    }

    /** Writes each output position's receptive field as a row: {@code colT[j * K + p]}. */
    private void im2colTransposed(float[] in, float[] colT) {
        int ho = outShape[1];
        int wo = outShape[2];
        int k = colRows();
        int h = win.h();
        int w = win.w();
        for (int oy = 0; oy < ho; oy++) {
            for (int ox = 0; ox < wo; ox++) {
                int row = (oy * wo + ox) * k;
                int p = 0;
                for (int c = 0; c < cin; c++) {
                    for (int ky = 0; ky < win.kh(); ky++) {
                        int iy = oy * win.sh() - win.padTop() + ky;
                        boolean rowOk = iy >= 0 && iy < h;
                        int src = (c * h + iy) * w;
                        for (int kx = 0; kx < win.kw(); kx++, p++) {
                            int ix = ox * win.sw() - win.padLeft() + kx;
                            colT[row + p] = rowOk && ix >= 0 && ix < w ? in[src + ix] : 0f;
                        }
                    }
                }
            }
        }
    }

    /** Writes the im2col columns {@code [from, to)} (output positions) of every row. */
    private void im2col(float[] in, float[][] col, int from, int to) {
        int wo = outShape[2];
        int h = win.h();
        int w = win.w();
        if (direct) {
            for (int c = 0; c < cin; c++) {
                System.arraycopy(in, c * h * w + from, col[c], from, to - from);
            }
            return;
        }
        int row = 0;
        for (int c = 0; c < cin; c++) {
            for (int ky = 0; ky < win.kh(); ky++) {
                for (int kx = 0; kx < win.kw(); kx++, row++) {
                    float[] dstRow = col[row];
                    int x0 = kx - win.padLeft();
                    if (sameWidth) {
                        shiftedCopy(in, c, ky - win.padTop(), x0, dstRow, from, to);
                        continue;
                    }
                    for (int oy = from / wo; oy * wo < to; oy++) {
                        int dst = oy * wo;
                        // this output row's positions in the chunk: ox in [xa, xb)
                        int xa = Math.max(0, from - dst);
                        int xb = Math.min(wo, to - dst);
                        int iy = oy * win.sh() - win.padTop() + ky;
                        if (iy < 0 || iy >= h) {
                            java.util.Arrays.fill(dstRow, dst + xa, dst + xb, 0f);
                            continue;
                        }
                        int src = (c * h + iy) * w;
                        if (win.sw() == 1) {
                            // in bounds: 0 <= ox + x0 < w
                            int lo = Math.min(xb, Math.max(xa, -x0));
                            int hi = Math.max(lo, Math.min(xb, w - x0));
                            java.util.Arrays.fill(dstRow, dst + xa, dst + lo, 0f);
                            System.arraycopy(in, src + lo + x0, dstRow, dst + lo, hi - lo);
                            java.util.Arrays.fill(dstRow, dst + hi, dst + xb, 0f);
                        } else {
                            for (int ox = xa; ox < xb; ox++) {
                                int ix = ox * win.sw() + x0;
                                dstRow[dst + ox] = ix >= 0 && ix < w ? in[src + ix] : 0f;
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * One im2col row of a stride-1 convolution whose output is as wide as its input: position
     * {@code j} reads input element {@code j + y0 * w + x0} of plane c, so the row is one shifted
     * copy, then zeros where the window falls off the top, the bottom or a side.
     */
    private void shiftedCopy(float[] in, int c, int y0, int x0, float[] dst, int from, int to) {
        int w = win.w();
        int plane = win.h() * w;
        int src = c * plane + y0 * w + x0;
        // positions whose input row exists: oy + y0 in [0, h)
        int jlo = Math.max(from, Math.max(0, -y0) * w);
        int jhi = Math.min(to, Math.max(0, Math.min(outShape[1], win.h() - y0)) * w);
        if (jhi <= jlo) {
            java.util.Arrays.fill(dst, from, to, 0f);
            return;
        }
        java.util.Arrays.fill(dst, from, jlo, 0f);
        java.util.Arrays.fill(dst, jhi, to, 0f);
        // stay inside plane c; the positions clipped here are side columns, zeroed below
        int a = Math.max(jlo, c * plane - src);
        int b = Math.min(jhi, (c + 1) * plane - src);
        System.arraycopy(in, src + a, dst, a, b - a);
        if (x0 != 0) {
            int bad0 = x0 < 0 ? 0 : w - x0;
            int bad1 = x0 < 0 ? -x0 : w;
            for (int rowStart = jlo / w * w; rowStart < jhi; rowStart += w) {
                int end = Math.min(jhi, rowStart + bad1);
                for (int j = Math.max(jlo, rowStart + bad0); j < end; j++) {
                    dst[j] = 0f;
                }
            }
        }
    }
}
