package dev.cnnlab.inference.nn;

/**
 * One compiled step of a network: reads activation slots, writes one slot. Activations of one
 * image are stored channel-major ({@code [c][h][w]}); vectors are {@code [n][1][1]}.
 */
abstract class Op {
    final String name;
    final int[] inputs;
    int output;
    final int[] outShape;
    /** Whether a ReLU is applied to the output (fused from a following relu node). */
    boolean relu;

    Op(String name, int[] inputs, int output, int[] outShape) {
        this.name = name;
        this.inputs = inputs;
        this.output = output;
        this.outShape = outShape;
    }

    /** Runs the op for one image; {@code act} holds the activation slots of {@code ws}. */
    abstract void run(float[][] act, Network.Workspace ws);

    /** Called once after fusion, before the first run: precompute derived weights. */
    void prepare() {
    }

    /** Returns the multiply-accumulates per image (0 for cheap ops). */
    long macs() {
        return 0;
    }

    /** Returns whether a following ReLU can be applied in place by this op. */
    boolean canFuseRelu() {
        return false;
    }

    int outSize() {
        return outShape[0] * outShape[1] * outShape[2];
    }

    static void reluInPlace(float[] x, int off, int len) {
        for (int i = off; i < off + len; i++) {
            x[i] = Math.max(x[i], 0f);
        }
    }

    static String shape(int[] s) {
        return "[" + s[0] + "," + s[1] + "," + s[2] + "]";
    }
}
