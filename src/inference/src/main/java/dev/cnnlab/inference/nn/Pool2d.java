package dev.cnnlab.inference.nn;

/**
 * Max or average pooling over a window with stride and padding (padding never wins a max). The
 * channels are split across threads.
 */
final class Pool2d extends Op implements Parallel.Chunked {
    private final boolean max;
    private final boolean includePad;
    private final int c;
    private final Window win;

    Pool2d(String name, boolean max, boolean includePad, int input, int output, int c,
            Window win) {
        super(name, new int[] {input}, output, new int[] {c, win.outH(), win.outW()});
        this.max = max;
        this.includePad = includePad;
        this.c = c;
        this.win = win;
    }

    @Override
    void run(float[][] act, Network.Workspace ws) {
        ws.job.run(this, ws.intraOp ? Math.min(c, Parallel.threads()) : 1, act, ws);
    }

    /** Pools the channels of one chunk. */
    @Override
    public void runChunk(int chunk, int count, float[][] act, Network.Workspace ws) {
        int per = (c + count - 1) / count;
        int from = Math.min(c, chunk * per);
        int to = Math.min(c, from + per);
        float[] in = act[inputs[0]];
        float[] out = act[output];
        if (max && win.kh() == 2 && win.kw() == 2 && win.sh() == 2 && win.sw() == 2
                && win.unpadded()) {
            maxPool2x2(in, out, from, to);
        } else {
            general(in, out, from, to);
        }
        if (relu) {
            int plane = outShape[1] * outShape[2];
            reluInPlace(out, from * plane, (to - from) * plane);
        }
    }

    /** The common 2x2 stride-2 max pool, without window clipping, of channels [from, to). */
    private void maxPool2x2(float[] in, float[] out, int from, int to) {
        int ho = outShape[1];
        int wo = outShape[2];
        int h = win.h();
        int w = win.w();
        for (int ch = from; ch < to; ch++) {
            for (int oy = 0; oy < ho; oy++) {
                int r0 = (ch * h + 2 * oy) * w;
                int r1 = r0 + w;
                int o = (ch * ho + oy) * wo;
                for (int ox = 0; ox < wo; ox++) {
                    int x = 2 * ox;
                    out[o + ox] = Math.max(Math.max(in[r0 + x], in[r0 + x + 1]),
                            Math.max(in[r1 + x], in[r1 + x + 1]));
                }
            }
        }
    }

    private void general(float[] in, float[] out, int from, int to) {
        int ho = outShape[1];
        int wo = outShape[2];
        int h = win.h();
        int w = win.w();
        for (int ch = from; ch < to; ch++) {
            int plane = ch * h * w;
            for (int oy = 0; oy < ho; oy++) {
                int y0 = oy * win.sh() - win.padTop();
                int ya = Math.max(y0, 0);
                int yb = Math.min(y0 + win.kh(), h);
                for (int ox = 0; ox < wo; ox++) {
                    int x0 = ox * win.sw() - win.padLeft();
                    int xa = Math.max(x0, 0);
                    int xb = Math.min(x0 + win.kw(), w);
                    float acc;
                    if (max) {
                        acc = Float.NEGATIVE_INFINITY;
                        for (int y = ya; y < yb; y++) {
                            for (int x = plane + y * w + xa; x < plane + y * w + xb; x++) {
                                acc = Math.max(acc, in[x]);
                            }
                        }
                    } else {
                        acc = 0f;
                        for (int y = ya; y < yb; y++) {
                            for (int x = plane + y * w + xa; x < plane + y * w + xb; x++) {
                                acc += in[x];
                            }
                        }
                        int count;
                        if (includePad) {
                            // window clipped to the padded input, as in DL4J/Keras
                            int yc = Math.min(y0 + win.kh(), h + win.padBottom()) - y0;
                            int xc = Math.min(x0 + win.kw(), w + win.padRight()) - x0;
                            count = yc * xc;
                        } else {
                            count = (yb - ya) * (xb - xa);
                        }
                        acc = count > 0 ? acc / count : 0f;
                    }
                    out[(ch * ho + oy) * wo + ox] = acc;
                }
            }
        }
    }

    @Override
    boolean canFuseRelu() {
        return true;
    }
}
