package dev.cnnlab.inference.nn;

/**
 * Fully connected layer over the flattened (channel-major) input; weights {@code [in][out]} as
 * DL4J stores them, so the inner loop runs over contiguous outputs. A wide layer splits its
 * outputs across threads: it reads megabytes of weights per image, and two cores read faster.
 */
final class Dense extends Op implements Parallel.Chunked {
    /** Outputs per chunk at least (a multiple of 16 floats, one 64-byte cache line). */
    private static final int MIN_CHUNK = 256;
    private final int nIn;
    /** One row per input feature (rows, not a flat array, so the JIT vectorizes; see Gemm). */
    private final float[][] weight;
    private final float[] bias;
    private int chunks = 1;

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
    void prepare() {
        chunks = Math.max(1, Math.min(Parallel.threads(), bias.length / MIN_CHUNK));
    }

    @Override
    void run(float[][] act, Network.Workspace ws) {
        ws.job.run(this, ws.intraOp ? chunks : 1, act, ws);
    }

    /** Computes the outputs of one chunk, a block of whole cache lines. */
    @Override
    public void runChunk(int chunk, int count, float[][] act, Network.Workspace ws) {
        float[] x = act[inputs[0]];
        float[] y = act[output];
        int nOut = bias.length;
        int per = ((nOut + count - 1) / count + 15) / 16 * 16;
        int from = Math.min(nOut, chunk * per);
        int to = Math.min(nOut, from + per);
        System.arraycopy(bias, from, y, from, to - from);
        for (int i = 0; i < nIn; i++) {
            float xi = x[i];
            if (xi != 0f) { // after a ReLU, about half the inputs
                Gemm.axpy(xi, weight[i], y, from, to);
            }
        }
        if (relu) {
            reluInPlace(y, from, to - from);
        }
    }
}
