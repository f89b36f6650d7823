package dev.cnnlab.inference.nn;

/**
 * 2-D convolution (cross-correlation, like DL4J) with stride and explicit zero padding, computed
 * as im2col followed by a matrix multiply; weights {@code [out][in][kh][kw]}.
 */
final class Conv2d extends Op {
    private final int cin;
    private final Window win;
    private final float[] weight;
    private final float[] bias;
    private final boolean direct;
    /** Whether to compute out^T = col^T W^T: longer inner loops when positions < channels. */
    private final boolean transposed;
    /** W^T as rows {@code [k][out]}, built by {@link #prepare} for the transposed form. */
    private float[][] weightT;

    Conv2d(String name, int input, int output, int cin, Window win, float[] weight, float[] bias,
            int cout) {
        super(name, new int[] {input}, output, new int[] {cout, win.outH(), win.outW()});
        this.cin = cin;
        this.win = win;
        this.weight = weight;
        this.bias = bias;
        this.transposed = outShape[1] * outShape[2] < outShape[0];
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
        float[] in = act[inputs[0]];
        float[] out = act[output];
        int cout = outShape[0];
        int n = positions();
        float[][] acc = ws.acc;
        if (transposed) {
            runTransposed(in, out, acc, ws.colT);
            return;
        }
        float[][] col = ws.col;
        im2col(in, col);
        for (int o = 0; o < cout; o++) {
            java.util.Arrays.fill(acc[o], 0, n, bias[o]);
        }
        Gemm.multiplyAdd(cout, n, colRows(), weight, col, acc);
        for (int o = 0; o < cout; o++) {
            System.arraycopy(acc[o], 0, out, o * n, n);
        }
        if (relu) {
            reluInPlace(out, 0, cout * n);
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
        Gemm.multiplyAdd(n, cout, k, colT, weightT, acc);
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

    private void im2col(float[] in, float[][] col) {
        int ho = outShape[1];
        int wo = outShape[2];
        int h = win.h();
        int w = win.w();
        if (direct) {
            for (int c = 0; c < cin; c++) {
                System.arraycopy(in, c * h * w, col[c], 0, h * w);
            }
            return;
        }
        int row = 0;
        for (int c = 0; c < cin; c++) {
            for (int ky = 0; ky < win.kh(); ky++) {
                for (int kx = 0; kx < win.kw(); kx++, row++) {
                    float[] dstRow = col[row];
                    for (int oy = 0; oy < ho; oy++) {
                        int iy = oy * win.sh() - win.padTop() + ky;
                        int dst = oy * wo;
                        if (iy < 0 || iy >= h) {
                            java.util.Arrays.fill(dstRow, dst, dst + wo, 0f);
                            continue;
                        }
                        int src = (c * h + iy) * w;
                        int x0 = kx - win.padLeft();
                        if (win.sw() == 1) {
                            // valid ox: 0 <= ox + x0 < w
                            int lo = Math.max(0, -x0);
                            int hi = Math.min(wo, w - x0);
                            if (hi <= lo) {
                                java.util.Arrays.fill(dstRow, dst, dst + wo, 0f);
                                continue;
                            }
                            java.util.Arrays.fill(dstRow, dst, dst + lo, 0f);
                            System.arraycopy(in, src + lo + x0, dstRow, dst + lo, hi - lo);
                            java.util.Arrays.fill(dstRow, dst + hi, dst + wo, 0f);
                        } else {
                            for (int ox = 0; ox < wo; ox++) {
                                int ix = ox * win.sw() + x0;
                                dstRow[dst + ox] = ix >= 0 && ix < w ? in[src + ix] : 0f;
                            }
                        }
                    }
                }
            }
        }
    }
}
