package dev.cnnlab.inference.nn;

/**
 * Decides, for one workspace, whether the next single-image prediction splits its ops across the
 * helper threads or runs on the calling thread alone, from the recent latency of each way.
 *
 * <p>Splitting is usually faster (keras-cifar10 on this project's 2 cores: 0.65 ms against 1.0 ms
 * on one thread), but not always: on this project's virtual machine two busy threads fall into
 * phases, seconds long, where each runs at half speed and a split prediction takes 1.4-1.9 ms while
 * one thread still takes 1.0 ms; other work keeping the cores busy has a similar effect. So each
 * way keeps a moving average of its latency, the faster way runs, and two predictions in every
 * {@value #PROBE_EVERY} try the other way to notice when that changes (only the second counts).
 * Allocates nothing.
 */
final class SplitChooser {
    static final int PROBE_EVERY = 32;
    /** The weight of the newest latency in a moving average. */
    private static final double WEIGHT = 0.25;

    /** Moving averages of the latency in nanoseconds; negative until the first sample. */
    private double splitNanos = -1;
    private double singleNanos = -1;
    private long predictions;

    /** Returns whether the next prediction should split its ops across threads. */
    boolean nextSplits() {
        predictions++;
        if (splitNanos < 0) {
            return true;
        }
        if (singleNanos < 0) {
            return false;
        }
        boolean splitFaster = splitNanos <= singleNanos;
        return isProbe() ? !splitFaster : splitFaster;
    }

    /** The two predictions at the start of every {@value #PROBE_EVERY} try the slower way. */
    private boolean isProbe() {
        return predictions % PROBE_EVERY < 2;
    }

    /**
     * Records how long a prediction took.
     *
     * @param split whether it split its ops across threads
     * @param nanos its latency
     */
    void record(boolean split, long nanos) {
        if (predictions % PROBE_EVERY == 0) {
            // the first of two probes only warms the other way up: after a stretch on one thread
            // the helpers have parked, and waking them costs more than the split saves
            return;
        }
        if (split) {
            splitNanos = average(splitNanos, nanos);
        } else {
            singleNanos = average(singleNanos, nanos);
        }
    }

    /** A sample under half the average (the first ones include compilation) replaces it. */
    private static double average(double avg, long sample) {
        return avg < 0 || sample < avg / 2 ? sample : avg + WEIGHT * (sample - avg);
    }
}
