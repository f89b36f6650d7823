package dev.cnnlab.inference.nn;

import dev.cnnlab.inference.format.GraphNode;
import dev.cnnlab.inference.format.ModelArchive;
import java.util.HashMap;
import java.util.Map;

/**
 * A deliberately naive forward pass (direct loops in double precision, no im2col, no fusion)
 * that the optimized engine is checked against.
 */
final class ReferenceForward {
    private ReferenceForward() {
    }

    record Act(int c, int h, int w, double[] v) {
        double at(int ch, int y, int x) {
            return v[(ch * h + y) * w + x];
        }
    }

    static float[] run(ModelArchive a, float[] input) {
        int[] s = a.metadata().inputShape();
        double[] in = new double[input.length];
        for (int i = 0; i < in.length; i++) {
            in[i] = input[i];
        }
        Map<String, Act> acts = new HashMap<>();
        acts.put("input", new Act(s[0], s[1], s[2], in));
        Act last = null;
        for (GraphNode n : a.metadata().graph()) {
            Act x = acts.get(n.inputs().get(0));
            last = switch (n.op()) {
                case "conv2d" -> conv(a, n, x);
                case "batchnorm" -> {
                    float[] g = a.tensor(n.name() + ".gamma").data();
                    float[] b = a.tensor(n.name() + ".beta").data();
                    float[] m = a.tensor(n.name() + ".mean").data();
                    float[] var = a.tensor(n.name() + ".var").data();
                    double eps = n.doubleParam("eps", 1e-5);
                    double[] y = new double[x.v.length];
                    int plane = x.h * x.w;
                    for (int i = 0; i < y.length; i++) {
                        int c = i / plane;
                        y[i] = (x.v[i] - m[c]) / Math.sqrt(var[c] + eps) * g[c] + b[c];
                    }
                    yield new Act(x.c, x.h, x.w, y);
                }
                case "relu" -> map(x, v -> Math.max(v, 0));
                case "leakyrelu" -> map(x, v -> v >= 0 ? v : 0.01 * v);
                case "tanh" -> map(x, Math::tanh);
                case "sigmoid" -> map(x, v -> 1 / (1 + Math.exp(-v)));
                case "identity" -> x;
                case "flatten" -> new Act(x.v.length, 1, 1, x.v);
                case "maxpool", "avgpool" -> pool(n, x);
                case "globalavgpool" -> {
                    double[] y = new double[x.c];
                    for (int i = 0; i < x.v.length; i++) {
                        y[i / (x.h * x.w)] += x.v[i] / (x.h * x.w);
                    }
                    yield new Act(x.c, 1, 1, y);
                }
                case "dense" -> {
                    float[] w = a.tensor(n.name() + ".weight").data();
                    float[] b = a.tensor(n.name() + ".bias").data();
                    double[] y = new double[b.length];
                    for (int j = 0; j < b.length; j++) {
                        y[j] = b[j];
                        for (int i = 0; i < x.v.length; i++) {
                            y[j] += x.v[i] * w[i * b.length + j];
                        }
                    }
                    yield new Act(b.length, 1, 1, y);
                }
                case "add" -> {
                    double[] y = x.v.clone();
                    for (int k = 1; k < n.inputs().size(); k++) {
                        double[] o = acts.get(n.inputs().get(k)).v;
                        for (int i = 0; i < y.length; i++) {
                            y[i] += o[i];
                        }
                    }
                    yield new Act(x.c, x.h, x.w, y);
                }
                case "softmax" -> {
                    double sum = 0;
                    double[] y = new double[x.v.length];
                    for (int i = 0; i < y.length; i++) {
                        y[i] = Math.exp(x.v[i]);
                        sum += y[i];
                    }
                    for (int i = 0; i < y.length; i++) {
                        y[i] /= sum;
                    }
                    yield new Act(x.c, x.h, x.w, y);
                }
                default -> throw new IllegalArgumentException(n.op());
            };
            acts.put(n.name(), last);
        }
        float[] out = new float[last.v.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) last.v[i];
        }
        return out;
    }

    private static Act map(Act x, java.util.function.DoubleUnaryOperator f) {
        double[] y = new double[x.v.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = f.applyAsDouble(x.v[i]);
        }
        return new Act(x.c, x.h, x.w, y);
    }

    private static Act conv(ModelArchive a, GraphNode n, Act x) {
        float[] w = a.tensor(n.name() + ".weight").data();
        int[] ws = a.tensor(n.name() + ".weight").shape();
        float[] b = a.tensor(n.name() + ".bias").data();
        int[] st = n.intsParam("stride", 2, new int[] {1, 1});
        int[] p = n.intsParam("padding", 4, new int[4]);
        int cout = ws[0];
        int kh = ws[2];
        int kw = ws[3];
        int ho = (x.h + p[0] + p[1] - kh) / st[0] + 1;
        int wo = (x.w + p[2] + p[3] - kw) / st[1] + 1;
        double[] y = new double[cout * ho * wo];
        for (int o = 0; o < cout; o++) {
            for (int oy = 0; oy < ho; oy++) {
                for (int ox = 0; ox < wo; ox++) {
                    double acc = b[o];
                    for (int c = 0; c < x.c; c++) {
                        for (int ky = 0; ky < kh; ky++) {
                            for (int kx = 0; kx < kw; kx++) {
                                int iy = oy * st[0] - p[0] + ky;
                                int ix = ox * st[1] - p[2] + kx;
                                if (iy >= 0 && iy < x.h && ix >= 0 && ix < x.w) {
                                    acc += x.at(c, iy, ix) * w[((o * x.c + c) * kh + ky) * kw + kx];
                                }
                            }
                        }
                    }
                    y[(o * ho + oy) * wo + ox] = acc;
                }
            }
        }
        return new Act(cout, ho, wo, y);
    }

    private static Act pool(GraphNode n, Act x) {
        boolean max = n.op().equals("maxpool");
        int[] k = n.intsParam("kernel", 2, null);
        int[] st = n.intsParam("stride", 2, k);
        int[] p = n.intsParam("padding", 4, new int[4]);
        boolean includePad = n.boolParam("includePad", false);
        int ho = (x.h + p[0] + p[1] - k[0]) / st[0] + 1;
        int wo = (x.w + p[2] + p[3] - k[1]) / st[1] + 1;
        double[] y = new double[x.c * ho * wo];
        for (int c = 0; c < x.c; c++) {
            for (int oy = 0; oy < ho; oy++) {
                for (int ox = 0; ox < wo; ox++) {
                    double acc = max ? Double.NEGATIVE_INFINITY : 0;
                    int count = 0;
                    int padded = 0;
                    for (int ky = 0; ky < k[0]; ky++) {
                        for (int kx = 0; kx < k[1]; kx++) {
                            int iy = oy * st[0] - p[0] + ky;
                            int ix = ox * st[1] - p[2] + kx;
                            if (iy < x.h + p[1] && ix < x.w + p[3]) {
                                padded++;
                            }
                            if (iy >= 0 && iy < x.h && ix >= 0 && ix < x.w) {
                                acc = max ? Math.max(acc, x.at(c, iy, ix)) : acc + x.at(c, iy, ix);
                                count++;
                            }
                        }
                    }
                    y[(c * ho + oy) * wo + ox] = max ? acc : acc / (includePad ? padded : count);
                }
            }
        }
        return new Act(x.c, ho, wo, y);
    }
}
