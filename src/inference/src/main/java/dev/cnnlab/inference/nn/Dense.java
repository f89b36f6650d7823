package dev.cnnlab.inference.nn;

/**
 * Fully connected layer over the flattened (channel-major) input; weights {@code [in][out]} as
 * DL4J stores them, so the inner loop runs over contiguous outputs.
 */
final class Dense extends Op {
    private final int nIn;
    /** One row per input feature (rows, not a flat array, so the JIT vectorizes; see Gemm). */
    private final float[][] weight;
    private final float[] bias;

    Dense(String name, int input, int output, int nIn, float[] weight, float[] bias) {
        super(name, new int[] {input}, output, new int[] {bias.length, 1, 1});
        this.nIn = nIn;
        this.bias = bias;
        this.weight = new float[nIn][];
        for (int i = 0; i < nIn; i++) {
            this.weight[i] = java.util.Arrays.copyOfRange(weight, i * bias.length,
                    (i + 1) * bias.length);
        }
    }

    /** Folds a following per-feature affine {@code y = x * scale + shift} into the weights. */
    void foldAffine(float[] scale, float[] shift) {
        int nOut = bias.length;
        for (int i = 0; i < nIn; i++) {
            for (int j = 0; j < nOut; j++) {
                weight[i][j] *= scale[j];
            }
        }
        for (int j = 0; j < nOut; j++) {
            bias[j] = bias[j] * scale[j] + shift[j];
        }
    }

    @Override
    long macs() {
        return (long) nIn * bias.length;
    }

    @Override
    boolean canFuseRelu() {
        return true;
    }

    @Override
    void run(float[][] act, Network.Workspace ws) {
        float[] x = act[inputs[0]];
        float[] y = act[output];
        int nOut = bias.length;
        System.arraycopy(bias, 0, y, 0, nOut);
        for (int i = 0; i < nIn; i++) {
            float xi = x[i];
            if (xi != 0f) {
                Gemm.axpy(xi, weight[i], y, 0, nOut);
            }
        }
        if (relu) {
            reluInPlace(y, 0, nOut);
        }
    }
}
