package dev.cnnlab.inference.nn;

import dev.cnnlab.inference.format.ModelArchive;
import dev.cnnlab.inference.format.ModelMetadata;
import dev.cnnlab.inference.format.TestTimeAugmentation;
import java.util.function.Function;

/**
 * The hflip-translate prediction written the way airbench94 writes it, independently of the
 * engine: pad the image by reflection into a {@code (h + 2) x (w + 2)} array, slice the two
 * translated crops, flip with an explicit loop, run each view through a plain forward pass that
 * stops before the final softmax, and combine as {@code 0.5 * mirror(x) + 0.5 * mean(mirror(A),
 * mirror(B))} with {@code mirror(v) = 0.5 * net(v) + 0.5 * net(flip(v))}, then softmax, in double.
 */
public final class TranslateReference {
    private TranslateReference() {
    }

    /**
     * The same model without test-time augmentation and without its final softmax node (when the
     * graph ends in one): it outputs logits.
     *
     * @param a a model
     * @return the logits model
     */
    public static ModelArchive logitsModel(ModelArchive a) {
        ModelMetadata m = a.metadata();
        var graph = m.graph();
        boolean softmax = graph.get(graph.size() - 1).op().equals("softmax");
        ModelMetadata plain = new ModelMetadata(m.name(), m.architecture(), m.inputShape(), m.mean(),
                m.std(), m.labels(), softmax ? graph.subList(0, graph.size() - 1) : graph,
                m.provenance(), TestTimeAugmentation.NONE);
        return new ModelArchive(a.formatVersion(), plain, a.tensors(), "");
    }

    /**
     * Predicts with the six views.
     *
     * @param logits one view's logits
     * @param x the normalized {@code [c][h][w]} image
     * @param shape {@code [c, h, w]}
     * @param softmax whether to apply a softmax to the mean logits
     * @return the prediction
     */
    public static float[] predict(Function<float[], float[]> logits, float[] x, int[] shape, boolean softmax) {
        int c = shape[0];
        int h = shape[1];
        int w = shape[2];
        // p = reflect-pad(x, 1): p[y + 1][x + 1] = x[y][x]; p[0] = x[1], p[h + 1] = x[h - 2]
        int ph = h + 2;
        int pw = w + 2;
        float[] p = new float[c * ph * pw];
        for (int ch = 0; ch < c; ch++) {
            for (int y = -1; y <= h; y++) {
                int sy = y < 0 ? 1 : y == h ? h - 2 : y;
                for (int i = -1; i <= w; i++) {
                    int sx = i < 0 ? 1 : i == w ? w - 2 : i;
                    p[(ch * ph + y + 1) * pw + i + 1] = x[(ch * h + sy) * w + sx];
                }
            }
        }
        double[] plain = mirror(logits, x, shape);
        double[] a = mirror(logits, crop(p, c, ph, pw, 0, h, w), shape);
        double[] b = mirror(logits, crop(p, c, ph, pw, 2, h, w), shape);
        double[] mean = new double[plain.length];
        for (int k = 0; k < mean.length; k++) {
            mean[k] = 0.5 * plain[k] + 0.5 * ((a[k] + b[k]) / 2);
        }
        float[] out = new float[mean.length];
        double max = Double.NEGATIVE_INFINITY;
        for (double v : mean) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (double v : mean) {
            sum += Math.exp(v - max);
        }
        for (int k = 0; k < out.length; k++) {
            out[k] = (float) (softmax ? Math.exp(mean[k] - max) / sum : mean[k]);
        }
        return out;
    }

    /** {@code 0.5 * net(v) + 0.5 * net(flip(v))}. */
    private static double[] mirror(Function<float[], float[]> logits, float[] v, int[] shape) {
        float[] flipped = new float[v.length];
        int w = shape[2];
        for (int row = 0; row < v.length / w; row++) {
            for (int i = 0; i < w; i++) {
                flipped[row * w + i] = v[row * w + w - 1 - i];
            }
        }
        float[] a = logits.apply(v);
        float[] b = logits.apply(flipped);
        double[] out = new double[a.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = 0.5 * a[k] + 0.5 * b[k];
        }
        return out;
    }

    /** {@code p[:, from:from + h, from:from + w]}. */
    private static float[] crop(float[] p, int c, int ph, int pw, int from, int h, int w) {
        float[] out = new float[c * h * w];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                System.arraycopy(p, (ch * ph + from + y) * pw + from, out, (ch * h + y) * w, w);
            }
        }
        return out;
    }
}
