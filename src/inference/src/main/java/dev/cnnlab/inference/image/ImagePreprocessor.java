package dev.cnnlab.inference.image;

import dev.cnnlab.inference.format.ModelMetadata;
import java.awt.image.BufferedImage;
import java.util.Arrays;

/**
 * Turns an image into a model's input: resample the whole image (no crop, aspect ratio not kept)
 * to the input's height and width, then normalize each channel as
 * {@code (pixel / 255 - mean[c]) / std[c]}, channel-major RGB ({@code [c][h][w]}).
 *
 * <p>Resampling is separable: along an axis that shrinks, each output pixel is the area-weighted
 * mean of the source pixels it covers (box filter, exact for integer and fractional factors);
 * along an axis that grows, bilinear interpolation with pixel centers at {@code i + 0.5}. Same
 * size is the identity. An image more than 8 times larger than the input along both axes is
 * first subsampled by the decoder (see {@link Images#decode(byte[], int, int)}), keeping at least
 * 4 source pixels per output pixel along each axis. Transparent pixels are composited over white. One-channel models get
 * luma ({@code 0.299 R + 0.587 G + 0.114 B}).
 */
public final class ImagePreprocessor {
    private final int channels;
    private final int height;
    private final int width;
    private final float[] mean;
    private final float[] std;

    /**
     * Creates a preprocessor.
     *
     * @param inputShape {@code [channels, height, width]}, channels 1 or 3
     * @param mean per-channel mean (of pixels scaled to [0, 1])
     * @param std per-channel standard deviation
     */
    public ImagePreprocessor(int[] inputShape, float[] mean, float[] std) {
        if (inputShape.length != 3 || (inputShape[0] != 1 && inputShape[0] != 3)
                || inputShape[1] <= 0 || inputShape[2] <= 0) {
            throw new IllegalArgumentException("input shape must be [1 or 3, h, w], got "
                    + Arrays.toString(inputShape));
        }
        if (mean.length != inputShape[0] || std.length != inputShape[0]) {
            throw new IllegalArgumentException("need " + inputShape[0] + " mean/std values, got "
                    + Arrays.toString(mean) + " / " + Arrays.toString(std));
        }
        this.channels = inputShape[0];
        this.height = inputShape[1];
        this.width = inputShape[2];
        this.mean = mean.clone();
        this.std = std.clone();
    }

    /**
     * Creates the preprocessor a model's metadata describes.
     *
     * @param metadata the model's metadata
     * @return the preprocessor
     */
    public static ImagePreprocessor forModel(ModelMetadata metadata) {
        return new ImagePreprocessor(metadata.inputShape(), metadata.mean(), metadata.std());
    }

    /**
     * Decodes (with the size checks of {@link Images#decode}) and preprocesses an image.
     *
     * @param encoded JPEG or PNG bytes
     * @return the normalized input, channel-major
     */
    public float[] preprocess(byte[] encoded) {
        return toChw(Images.decode(encoded, width, height));
    }

    /**
     * Resamples and normalizes a decoded image.
     *
     * @param image the image, any size
     * @return the normalized input, channel-major
     */
    public float[] toChw(BufferedImage image) {
        int inW = image.getWidth();
        int inH = image.getHeight();
        Resampler xs = new Resampler(inW, width);
        Resampler ys = new Resampler(inH, height);
        // pass 1: each source row resampled horizontally, values 0..255 per RGB channel
        float[] rows = new float[3 * inH * width];
        int[] argb = new int[inW];
        float[] r = new float[inW];
        float[] g = new float[inW];
        float[] b = new float[inW];
        for (int y = 0; y < inH; y++) {
            image.getRGB(0, y, inW, 1, argb, 0, inW);
            for (int x = 0; x < inW; x++) {
                int p = argb[x];
                float a = (p >>> 24) / 255f;
                r[x] = ((p >> 16) & 0xff) * a + 255f * (1 - a);
                g[x] = ((p >> 8) & 0xff) * a + 255f * (1 - a);
                b[x] = (p & 0xff) * a + 255f * (1 - a);
            }
            xs.apply(r, 0, 1, rows, (0 * inH + y) * width, 1);
            xs.apply(g, 0, 1, rows, (1 * inH + y) * width, 1);
            xs.apply(b, 0, 1, rows, (2 * inH + y) * width, 1);
        }
        // pass 2: vertical resampling of each column
        float[] rgb = new float[3 * height * width];
        for (int c = 0; c < 3; c++) {
            for (int x = 0; x < width; x++) {
                ys.apply(rows, c * inH * width + x, width, rgb, c * height * width + x, width);
            }
        }
        int plane = height * width;
        float[] out = channels == 3 ? rgb : new float[plane];
        if (channels == 1) {
            for (int i = 0; i < plane; i++) {
                out[i] = 0.299f * rgb[i] + 0.587f * rgb[plane + i] + 0.114f * rgb[2 * plane + i];
            }
        }
        normalize(out);
        return out;
    }

    /**
     * Normalizes pixel values in place, as {@link #toChw} does after resampling: each value
     * {@code v} of channel {@code c} becomes {@code (v / 255 - mean[c]) / std[c]}.
     *
     * @param chw pixel values 0..255 of one or more inputs, channel-major, each of
     *     {@code channels x height x width} values
     * @throws IllegalArgumentException if the length is not a multiple of the input length
     */
    public void normalize(float[] chw) {
        int plane = height * width;
        int inputLength = channels * plane;
        if (chw.length % inputLength != 0) {
            throw new IllegalArgumentException("expected a multiple of " + inputLength
                    + " values, got " + chw.length);
        }
        for (int i = 0; i < chw.length; i++) {
            int c = (i % inputLength) / plane;
            chw[i] = (chw[i] / 255f - mean[c]) / std[c];
        }
    }

    /** One axis's resampling weights: for each output index, source indices and weights. */
    static final class Resampler {
        final int[][] index;
        final float[][] weight;

        Resampler(int in, int out) {
            index = new int[out][];
            weight = new float[out][];
            double scale = (double) in / out;
            for (int o = 0; o < out; o++) {
                if (in >= out) {
                    double lo = o * scale;
                    double hi = (o + 1) * scale;
                    int first = (int) Math.floor(lo);
                    int last = Math.min(in - 1, (int) Math.ceil(hi) - 1);
                    index[o] = new int[last - first + 1];
                    weight[o] = new float[last - first + 1];
                    for (int i = first; i <= last; i++) {
                        double overlap = Math.min(hi, i + 1) - Math.max(lo, i);
                        index[o][i - first] = i;
                        weight[o][i - first] = (float) (overlap / scale);
                    }
                } else {
                    double center = Math.max(0, Math.min(in - 1, (o + 0.5) * scale - 0.5));
                    int i0 = (int) Math.floor(center);
                    int i1 = Math.min(in - 1, i0 + 1);
                    float frac = (float) (center - i0);
                    index[o] = new int[] {i0, i1};
                    weight[o] = new float[] {1 - frac, frac};
                }
            }
        }

        void apply(float[] src, int srcOff, int srcStride, float[] dst, int dstOff, int dstStride) {
            for (int o = 0; o < index.length; o++) {
                float acc = 0f;
                int[] idx = index[o];
                float[] w = weight[o];
                for (int k = 0; k < idx.length; k++) {
                    acc += w[k] * src[srcOff + idx[k] * srcStride];
                }
                dst[dstOff + o * dstStride] = acc;
            }
        }
    }
}
