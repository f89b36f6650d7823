package dev.cnnlab.training.arch;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Initializes a patch-whitening convolution from data (airbench, after Keller Jordan's
 * cifar10-airbench): for a k x k kernel over c channels, the filters are the eigenvectors of the
 * covariance of every k x k patch of the images, each scaled by {@code 1 / sqrt(eigenvalue + eps)},
 * largest eigenvalue first, followed by their negatives; so the layer has {@code 2 c k k} outputs.
 * The layer is frozen ({@link LayerSpec#WHITENING}), so these stay the filters for the whole run.
 */
public final class Whitening {
    /** The epsilon added to each eigenvalue (airbench: 5e-4). */
    public static final double EPS = 5e-4;

    private Whitening() {
    }

    /** Returns whether an architecture has a whitening layer. */
    public static boolean needed(ArchitectureSpec spec) {
        return spec.layers().stream().anyMatch(l -> LayerSpec.WHITENING.equals(l.init()));
    }

    /** Sets every whitening layer of {@code net} from {@code images}, normalized NCHW. */
    public static void initialize(ComputationGraph net, ArchitectureSpec spec, INDArray images) {
        for (int i = 0; i < spec.layers().size(); i++) {
            LayerSpec l = spec.layers().get(i);
            if (LayerSpec.WHITENING.equals(l.init())) {
                INDArray w = net.getLayer(l.nameAt(i)).getParam("W");
                w.assign(filters(images, (int) w.size(2), (int) w.size(0)));
            }
        }
    }

    /**
     * Computes the whitening filters.
     *
     * @param images  normalized images, [n, c, h, w]
     * @param kernel  the patch side k
     * @param filters the layer's output channels, which must be {@code 2 c k k}
     * @return the filters, [2 c k k, c, k, k]
     */
    public static INDArray filters(INDArray images, int kernel, int filters) {
        int n = (int) images.size(0);
        int c = (int) images.size(1);
        int h = (int) images.size(2);
        int wd = (int) images.size(3);
        int d = c * kernel * kernel;
        if (filters != 2 * d) {
            throw new IllegalArgumentException("a " + kernel + "x" + kernel + " whitening layer over " + c
                    + " channels has " + 2 * d + " filters, not " + filters);
        }
        float[] x = images.dup('c').data().asFloat();
        double[][] cov = new double[d][d];
        double[] patch = new double[d];
        long count = 0;
        for (int img = 0; img < n; img++) {
            for (int y = 0; y + kernel <= h; y++) {
                for (int xx = 0; xx + kernel <= wd; xx++) {
                    int j = 0;
                    for (int ch = 0; ch < c; ch++) {
                        for (int ky = 0; ky < kernel; ky++) {
                            for (int kx = 0; kx < kernel; kx++) {
                                patch[j++] = x[((img * c + ch) * h + y + ky) * wd + xx + kx];
                            }
                        }
                    }
                    for (int a = 0; a < d; a++) {
                        for (int b = a; b < d; b++) {
                            cov[a][b] += patch[a] * patch[b];
                        }
                    }
                    count++;
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
                cov[a][b] /= count;
                cov[b][a] = cov[a][b];
            }
        }
        SymmetricEigen eig = SymmetricEigen.of(cov);
        float[] out = new float[2 * d * d];
        for (int f = 0; f < d; f++) {
            double s = 1 / Math.sqrt(eig.values()[f] + EPS);
            for (int j = 0; j < d; j++) {
                out[f * d + j] = (float) (eig.vectors()[f][j] * s);
                out[(f + d) * d + j] = (float) (-eig.vectors()[f][j] * s);
            }
        }
        return Nd4j.create(out, new long[] {2L * d, c, kernel, kernel}, 'c');
    }
}
