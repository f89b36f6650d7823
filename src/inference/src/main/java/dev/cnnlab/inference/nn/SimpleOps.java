package dev.cnnlab.inference.nn;

/** The cheap element-wise and reduction ops: affine (batch norm), activations, add, softmax. */
final class SimpleOps {
    private SimpleOps() {
    }

    /** Per-channel {@code y = x * scale[c] + shift[c]}: inference-time batch norm. */
    static final class Affine extends Op {
        final float[] scale;
        final float[] shift;

        Affine(String name, int input, int output, int[] shape, float[] scale, float[] shift) {
            super(name, new int[] {input}, output, shape);
            this.scale = scale;
            this.shift = shift;
        }

        @Override
        void run(float[][] act, Network.Workspace ws) {
            float[] x = act[inputs[0]];
            float[] y = act[output];
            int plane = outShape[1] * outShape[2];
            for (int c = 0; c < outShape[0]; c++) {
                float s = scale[c];
                float t = shift[c];
                int off = c * plane;
                for (int i = off; i < off + plane; i++) {
                    float v = x[i] * s + t;
                    y[i] = relu ? Math.max(v, 0f) : v;
                }
            }
        }

        @Override
        boolean canFuseRelu() {
            return true;
        }
    }

    /** An element-wise activation: relu, leakyrelu, tanh, sigmoid, gelu or identity. */
    static final class Activation extends Op {
        private final String kind;
        private final float alpha;

        Activation(String name, String kind, float alpha, int input, int output, int[] shape) {
            super(name, new int[] {input}, output, shape);
            this.kind = kind;
            this.alpha = alpha;
        }

        boolean isRelu() {
            return kind.equals("relu");
        }

        @Override
        void run(float[][] act, Network.Workspace ws) {
            float[] x = act[inputs[0]];
            float[] y = act[output];
            int n = outSize();
            switch (kind) {
                case "relu" -> {
                    for (int i = 0; i < n; i++) {
                        y[i] = Math.max(x[i], 0f);
                    }
                }
                case "leakyrelu" -> {
                    for (int i = 0; i < n; i++) {
                        y[i] = x[i] >= 0f ? x[i] : alpha * x[i];
                    }
                }
                case "tanh" -> {
                    for (int i = 0; i < n; i++) {
                        y[i] = (float) Math.tanh(x[i]);
                    }
                }
                case "sigmoid" -> {
                    for (int i = 0; i < n; i++) {
                        y[i] = (float) (1.0 / (1.0 + Math.exp(-x[i])));
                    }
                }
                case "gelu" -> {
                    for (int i = 0; i < n; i++) {
                        y[i] = (float) gelu(x[i]);
                    }
                }
                default -> System.arraycopy(x, 0, y, 0, n);
            }
        }
    }

    /** GELU, {@code x * P(X <= x)} for standard normal X: {@code 0.5 x (1 + erf(x / sqrt 2))}. */
    static double gelu(double x) {
        return 0.5 * x * (1 + erf(x / Math.sqrt(2)));
    }

    /** The error function, Abramowitz and Stegun 7.1.26: absolute error at most 1.5e-7. */
    static double erf(double x) {
        double t = 1 / (1 + 0.3275911 * Math.abs(x));
        double poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741
                + t * (-1.453152027 + t * 1.061405429))));
        double e = 1 - poly * Math.exp(-x * x);
        return x >= 0 ? e : -e;
    }

    /** Element-wise sum of two or more equally shaped inputs (residual connections). */
    static final class Add extends Op {
        Add(String name, int[] inputs, int output, int[] shape) {
            super(name, inputs, output, shape);
        }

        @Override
        void run(float[][] act, Network.Workspace ws) {
            float[] y = act[output];
            int n = outSize();
            float[] a = act[inputs[0]];
            float[] b = act[inputs[1]];
            for (int i = 0; i < n; i++) {
                y[i] = a[i] + b[i];
            }
            for (int k = 2; k < inputs.length; k++) {
                float[] c = act[inputs[k]];
                for (int i = 0; i < n; i++) {
                    y[i] += c[i];
                }
            }
            if (relu) {
                reluInPlace(y, 0, n);
            }
        }

        @Override
        boolean canFuseRelu() {
            return true;
        }
    }

    /** Mean over each channel's plane: {@code [c][h][w] -> [c][1][1]}. */
    static final class GlobalAvgPool extends Op {
        private final int plane;

        GlobalAvgPool(String name, int input, int output, int[] inShape) {
            super(name, new int[] {input}, output, new int[] {inShape[0], 1, 1});
            this.plane = inShape[1] * inShape[2];
        }

        @Override
        void run(float[][] act, Network.Workspace ws) {
            float[] x = act[inputs[0]];
            float[] y = act[output];
            for (int c = 0; c < outShape[0]; c++) {
                float sum = 0f;
                for (int i = c * plane; i < (c + 1) * plane; i++) {
                    sum += x[i];
                }
                y[c] = relu ? Math.max(sum / plane, 0f) : sum / plane;
            }
        }

        @Override
        boolean canFuseRelu() {
            return true;
        }
    }

    /** Softmax over all values of the input (a class-score vector). */
    static final class Softmax extends Op {
        Softmax(String name, int input, int output, int[] shape) {
            super(name, new int[] {input}, output, shape);
        }

        @Override
        void run(float[][] act, Network.Workspace ws) {
            softmax(act[inputs[0]], act[output], outSize());
        }

        /** Writes the softmax of {@code x[0..n)} into {@code y}. */
        static void softmax(float[] x, float[] y, int n) {
            float max = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                max = Math.max(max, x[i]);
            }
            double sum = 0;
            for (int i = 0; i < n; i++) {
                double e = Math.exp(x[i] - max);
                y[i] = (float) e;
                sum += e;
            }
            for (int i = 0; i < n; i++) {
                y[i] = (float) (y[i] / sum);
            }
        }
    }
}
