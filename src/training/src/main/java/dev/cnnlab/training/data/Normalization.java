package dev.cnnlab.training.data;

import java.util.Arrays;

/**
 * Per-channel normalization of pixels scaled to [0, 1]: {@code (x / 255 - mean[c]) / std[c]}.
 *
 * @param mean the per-channel (R, G, B) means of pixel / 255
 * @param std  the per-channel standard deviations of pixel / 255, all positive
 */
public record Normalization(float[] mean, float[] std) {
    /** Validates three channels and positive standard deviations. */
    public Normalization {
        if (mean == null || std == null || mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("need 3 means and 3 stds, got " + Arrays.toString(mean)
                    + " and " + Arrays.toString(std));
        }
        for (float s : std) {
            if (!(s > 0) || Float.isInfinite(s)) {
                throw new IllegalArgumentException("std must be positive and finite, got " + Arrays.toString(std));
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** Returns the identity-like normalization (mean 0, std 1): pixels only scaled to [0, 1]. */
    public static Normalization none() {
        return new Normalization(new float[3], new float[] {1, 1, 1});
    }

    /**
     * Computes the per-channel mean and standard deviation over every image of {@code data}.
     * Pass the training fold only, so validation images never leak into the statistics.
     */
    public static Normalization compute(ImageDataset data) {
        if (data.size() == 0) {
            throw new IllegalArgumentException("cannot compute normalization of an empty data set");
        }
        int plane = ImageDataset.HEIGHT * ImageDataset.WIDTH;
        long[] sum = new long[3];
        long[] sumSq = new long[3];
        byte[] img = new byte[ImageDataset.IMAGE_BYTES];
        for (int i = 0; i < data.size(); i++) {
            data.copyImage(i, img, 0);
            for (int c = 0; c < 3; c++) {
                long s = 0;
                long sq = 0;
                for (int p = c * plane, end = p + plane; p < end; p++) {
                    int v = img[p] & 0xff;
                    s += v;
                    sq += v * v;
                }
                sum[c] += s;
                sumSq[c] += sq;
            }
        }
        double n = (double) data.size() * plane;
        float[] mean = new float[3];
        float[] std = new float[3];
        for (int c = 0; c < 3; c++) {
            double m = sum[c] / n;
            double var = Math.max(sumSq[c] / n - m * m, 0);
            mean[c] = (float) (m / 255.0);
            std[c] = (float) Math.max(Math.sqrt(var) / 255.0, 1e-3);
        }
        return new Normalization(mean, std);
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "Normalization[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
    }
}
