package dev.cnnlab.inference.nn;

/**
 * Where a convolution or pooling window goes over one input plane: the plane's size, the kernel,
 * the stride and the zero padding on each side. The output is {@code (in + pads - k) / s + 1}
 * (floor) along each axis.
 *
 * @param h input height
 * @param w input width
 * @param kh kernel height
 * @param kw kernel width
 * @param sh vertical stride
 * @param sw horizontal stride
 * @param padTop rows of zeros above
 * @param padBottom rows of zeros below
 * @param padLeft columns of zeros on the left
 * @param padRight columns of zeros on the right
 */
record Window(int h, int w, int kh, int kw, int sh, int sw, int padTop, int padBottom,
        int padLeft, int padRight) {

    /**
     * Builds and checks the window of a node.
     *
     * @param node the node's name, for messages
     * @param inShape the input {@code [c, h, w]}
     * @param kernel {@code [kh, kw]}
     * @param stride {@code [sh, sw]}
     * @param padding {@code [top, bottom, left, right]}
     * @throws IllegalArgumentException naming the node if a size is not positive, a padding is
     *     negative or the kernel is larger than the padded input
     */
    static Window of(String node, int[] inShape, int[] kernel, int[] stride, int[] padding) {
        Window win = new Window(inShape[1], inShape[2], kernel[0], kernel[1], stride[0], stride[1],
                padding[0], padding[1], padding[2], padding[3]);
        check(node, win.h, win.kh, win.sh, win.padTop, win.padBottom);
        check(node, win.w, win.kw, win.sw, win.padLeft, win.padRight);
        return win;
    }

    private static void check(String node, int in, int k, int s, int padA, int padB) {
        if (k <= 0 || s <= 0 || padA < 0 || padB < 0) {
            throw new IllegalArgumentException("node '" + node + "': bad kernel " + k
                    + ", stride " + s + " or padding " + padA + "+" + padB);
        }
        if (in + padA + padB < k) {
            throw new IllegalArgumentException("node '" + node + "': kernel " + k
                    + " is larger than the padded input " + (in + padA + padB));
        }
    }

    /** Returns the output height. */
    int outH() {
        return (h + padTop + padBottom - kh) / sh + 1;
    }

    /** Returns the output width. */
    int outW() {
        return (w + padLeft + padRight - kw) / sw + 1;
    }

    /** Returns whether there is no padding on any side. */
    boolean unpadded() {
        return padTop == 0 && padBottom == 0 && padLeft == 0 && padRight == 0;
    }
}
