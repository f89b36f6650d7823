package dev.cnnlab.inference.nn;

/** Max or average pooling over a window with stride and padding (padding never wins a max). */
final class Pool2d extends Op {
    private final boolean max;
    private final boolean includePad;
    private final int c;
    private final int h;
    private final int w;
    private final int kh;
    private final int kw;
    private final int sh;
    private final int sw;
    private final int padTop;
    private final int padLeft;
    private final int padBottom;
    private final int padRight;

    Pool2d(String name, boolean max, boolean includePad, int input, int output, int[] inShape,
            int[] kernel, int[] stride, int[] padding) {
        super(name, new int[] {input}, output, new int[] {inShape[0],
            Conv2d.outDim(inShape[1], kernel[0], stride[0], padding[0] + padding[1], name),
            Conv2d.outDim(inShape[2], kernel[1], stride[1], padding[2] + padding[3], name)});
        this.max = max;
        this.includePad = includePad;
        this.c = inShape[0];
        this.h = inShape[1];
        this.w = inShape[2];
        this.kh = kernel[0];
        this.kw = kernel[1];
        this.sh = stride[0];
        this.sw = stride[1];
        this.padTop = padding[0];
        this.padBottom = padding[1];
        this.padLeft = padding[2];
        this.padRight = padding[3];
    }

    @Override
    void run(float[][] act, Network.Workspace ws) {
        float[] in = act[inputs[0]];
        float[] out = act[output];
        if (max && kh == 2 && kw == 2 && sh == 2 && sw == 2 && padTop == 0 && padLeft == 0) {
            maxPool2x2(in, out);
        } else {
            general(in, out);
        }
        if (relu) {
            reluInPlace(out, 0, outSize());
        }
    }

    /** The common 2x2 stride-2 max pool, without window clipping. */
    private void maxPool2x2(float[] in, float[] out) {
        int ho = outShape[1];
        int wo = outShape[2];
        for (int ch = 0; ch < c; ch++) {
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

    private void general(float[] in, float[] out) {
        int ho = outShape[1];
        int wo = outShape[2];
        for (int ch = 0; ch < c; ch++) {
            int plane = ch * h * w;
            for (int oy = 0; oy < ho; oy++) {
                int y0 = oy * sh - padTop;
                int ya = Math.max(y0, 0);
                int yb = Math.min(y0 + kh, h);
                for (int ox = 0; ox < wo; ox++) {
                    int x0 = ox * sw - padLeft;
                    int xa = Math.max(x0, 0);
                    int xb = Math.min(x0 + kw, w);
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
                            int yc = Math.min(y0 + kh, h + padBottom) - y0;
                            int xc = Math.min(x0 + kw, w + padRight) - x0;
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
