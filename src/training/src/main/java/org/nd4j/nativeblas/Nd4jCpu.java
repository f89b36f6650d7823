package org.nd4j.nativeblas;

/**
 * Compatibility shim so that DL4J 1.0.0-M2.1 enables its oneDNN (MKLDNN) layer helpers.
 *
 * <p>DL4J checks for oneDNN by loading {@code org.nd4j.nativeblas.Nd4jCpu$Environment} by
 * reflection, a class that moved in M2.x; without it the convolution and pooling helpers are dropped
 * and training runs about 7x slower (see shared/DL4J-NOTES.md). The build ships the
 * {@code -onednn} ND4J classifier, so reporting oneDNN as in use is true.
 */
public final class Nd4jCpu {
    private Nd4jCpu() {
    }

    /** The environment DL4J queries by reflection. */
    public static final class Environment {
        private static final Environment INSTANCE = new Environment();

        private Environment() {
        }

        /** Returns the single instance. */
        public static Environment getInstance() {
            return INSTANCE;
        }

        /** Returns true: the oneDNN build of ND4J is on the class path. */
        public boolean isUseMKLDNN() {
            return true;
        }
    }
}
