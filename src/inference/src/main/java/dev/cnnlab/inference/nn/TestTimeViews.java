package dev.cnnlab.inference.nn;

import dev.cnnlab.inference.format.TestTimeAugmentation;
import java.util.Arrays;

/**
 * Runs the views of one image that a model's {@link TestTimeAugmentation} asks for through the
 * network, one after another on the calling thread, and combines their outputs. Thread-safe: each
 * thread gets its own view buffers on first use, so a prediction allocates nothing.
 *
 * <p>{@link TestTimeAugmentation#HFLIP} averages the two outputs (the probabilities of a
 * softmax-terminated graph). {@link TestTimeAugmentation#HFLIP_TRANSLATE} takes the weighted mean
 * of the six views' logits (the final softmax's input; the outputs of a graph without one), 1/4
 * for the image and its mirror and 1/8 for each translated view, and applies the softmax to it.
 */
final class TestTimeViews {
    /**
     * The translations (dy, dx) of hflip-translate, each run as is and mirrored, with their views'
     * weights: view pixel (y, x) reads image pixel (y + dy, x + dx), so {@code {0, 0}} is the image,
     * {@code {-1, -1}} airbench94's {@code padded[0:h, 0:w]} and {@code {1, 1}} its
     * {@code padded[2:h+2, 2:w+2]}, of the image reflect-padded by 1.
     */
    private static final int[][] SHIFTS = {{0, 0}, {-1, -1}, {1, 1}};
    private static final float[] WEIGHTS = {0.25f, 0.125f, 0.125f};

    private final Network network;
    private final TestTimeAugmentation mode;
    private final int height;
    private final int width;
    private final ThreadLocal<float[][]> scratch;

    /** The views {@code mode} asks for; {@code ModelMetadata} has checked the input is at least 2x2. */
    TestTimeViews(Network network, TestTimeAugmentation mode, int[] inputShape) {
        this.network = network;
        this.mode = mode;
        this.height = inputShape[1];
        this.width = inputShape[2];
        this.scratch = ThreadLocal.withInitial(() -> new float[][] {new float[network.inputLength],
            new float[network.outputLength], new float[network.outputLength]});
    }

    /** Writes the prediction for one normalized {@code [c][h][w]} image into {@code out}. */
    void forward(float[] chw, float[] out, Network.Workspace ws) {
        switch (mode) {
            case NONE -> network.run(chw, out, ws);
            case HFLIP -> hflip(chw, out, ws);
            case HFLIP_TRANSLATE -> hflipTranslate(chw, out, ws);
            default -> throw new IllegalStateException("no views for " + mode);
        }
    }

    /** The image's output averaged with its mirror's. */
    private void hflip(float[] chw, float[] out, Network.Workspace ws) {
        float[][] s = scratch.get();
        network.run(chw, out, ws);
        view(chw, s[0], 0, 0, true);
        network.run(s[0], s[1], ws);
        for (int i = 0; i < network.outputLength; i++) {
            out[i] = (out[i] + s[1][i]) * 0.5f;
        }
    }

    /** The six views' weighted mean logits, through the softmax when the graph ends in one. */
    private void hflipTranslate(float[] chw, float[] out, Network.Workspace ws) {
        float[][] s = scratch.get();
        float[] logits = s[1];
        float[] sum = s[2];
        Arrays.fill(sum, 0f);
        for (int v = 0; v < 2 * SHIFTS.length; v++) {
            int[] shift = SHIFTS[v / 2];
            boolean mirrored = v % 2 == 1;
            float[] input = chw;
            if (mirrored || shift[0] != 0 || shift[1] != 0) {
                view(chw, s[0], shift[0], shift[1], mirrored);
                input = s[0];
            }
            network.run(input, logits, ws, true);
            float weight = WEIGHTS[v / 2];
            for (int i = 0; i < sum.length; i++) {
                sum[i] += weight * logits[i];
            }
        }
        if (network.endsInSoftmax) {
            SimpleOps.Softmax.softmax(sum, out, sum.length);
        } else {
            System.arraycopy(sum, 0, out, 0, sum.length);
        }
    }

    /**
     * Writes a view of a {@code [c][h][w]} image: pixel {@code (y, x)} of the view is pixel
     * {@code (y + dy, x' + dx)} of the image, where {@code x'} is {@code x}, or {@code width - 1 - x}
     * when mirrored, and a coordinate outside the image reflects at the edge without repeating it
     * ({@code -1 -> 1}, {@code n -> n - 2}: NumPy's and PyTorch's {@code reflect}).
     */
    private void view(float[] chw, float[] dst, int dy, int dx, boolean mirrored) {
        int plane = height * width;
        for (int base = 0; base < chw.length; base += plane) {
            for (int y = 0; y < height; y++) {
                int from = base + reflect(y + dy, height) * width;
                int to = base + y * width;
                for (int x = 0; x < width; x++) {
                    dst[to + x] = chw[from + reflect((mirrored ? width - 1 - x : x) + dx, width)];
                }
            }
        }
    }

    private static int reflect(int i, int n) {
        return i < 0 ? -i : i >= n ? 2 * n - 2 - i : i;
    }
}
