package dev.cnnlab.bench;

import java.util.Arrays;

/**
 * Timing that tolerates a shared machine, the same way the PyTorch/ONNX Runtime peer harness does:
 * iterations run in windows of at least one second, and a window counts only if other processes used
 * less than {@code maxOthersCores} cores during it (/proc/stat minus this process' CPU time). After a
 * disturbed window it idles until a one-second sample is quiet again. A phase ends after
 * {@code targetSeconds} of clean windows or {@code maxSeconds} in all.
 *
 * <p>If no window was clean, the result falls back to all windows and says so ({@link Result#clean()}).
 */
public final class CleanWindows {
    private static final double WINDOW_SECONDS = 1.0;

    private final double targetSeconds;
    private final double maxSeconds;
    private final double maxOthersCores;

    /** One unit of work (a training step, a forward pass); {@code iteration} counts from 0. */
    @FunctionalInterface
    public interface Work {
        /** Runs one iteration. */
        void run(int iteration) throws Exception;
    }

    /**
     * What a phase measured.
     *
     * @param itemsPerSecond  items (images) per second over the counted windows
     * @param clean           true if the counted windows are clean ones, false if none was and all count
     * @param iterationNanos  the duration of each iteration in the counted windows, sorted
     * @param countedSeconds  the length of the counted windows
     * @param windowsClean    windows that counted as clean
     * @param windowsRejected windows disturbed by other processes
     */
    public record Result(double itemsPerSecond, boolean clean, long[] iterationNanos, double countedSeconds,
            int windowsClean, int windowsRejected) {
        /** Returns the iteration time at quantile {@code q} (0..1, nearest rank below) in milliseconds. */
        public double quantileMs(double q) {
            return iterationNanos[(int) (q * (iterationNanos.length - 1))] / 1e6;
        }
    }

    /**
     * Creates a harness.
     *
     * @param targetSeconds  clean seconds to collect per phase, positive
     * @param maxSeconds     the most a phase may take, at least {@code targetSeconds}
     * @param maxOthersCores the other processes' CPU use (in cores) below which a window is clean
     */
    public CleanWindows(double targetSeconds, double maxSeconds, double maxOthersCores) {
        if (!(targetSeconds > 0) || !(maxSeconds >= targetSeconds)) {
            throw new IllegalArgumentException("need 0 < target <= max seconds, got " + targetSeconds + " and "
                    + maxSeconds);
        }
        this.targetSeconds = targetSeconds;
        this.maxSeconds = maxSeconds;
        this.maxOthersCores = maxOthersCores;
    }

    /** Creates a harness from the suite's settings. */
    public static CleanWindows of(BenchConfig config) {
        return new CleanWindows(config.seconds(), config.maxPhaseSeconds(), config.maxOthersCores());
    }

    /**
     * Measures a phase.
     *
     * @param work               the work, called repeatedly
     * @param itemsPerIteration  images per call
     * @return the result over clean windows, or over all windows if none was clean
     * @throws Exception what the work throws
     */
    public Result run(Work work, int itemsPerIteration) throws Exception {
        long phaseStart = System.nanoTime();
        Times clean = new Times();
        Times all = new Times();
        Times window = new Times();
        int windowsClean = 0;
        int windowsRejected = 0;
        int iteration = 0;
        while (clean.seconds() < targetSeconds && elapsed(phaseStart) < maxSeconds) {
            window.clear();
            ProcStats.CpuSnapshot before = ProcStats.CpuSnapshot.now();
            long windowStart = System.nanoTime();
            do {
                long t0 = System.nanoTime();
                work.run(iteration++);
                window.add(System.nanoTime() - t0);
            } while (System.nanoTime() - windowStart < WINDOW_SECONDS * 1e9);
            double others = ProcStats.CpuSnapshot.now().othersCoresSince(before);
            all.addAll(window);
            if (others < maxOthersCores) {
                windowsClean++;
                clean.addAll(window);
            } else {
                windowsRejected++;
                backOff(phaseStart);
            }
        }
        Times counted = clean.size() > 0 ? clean : all;
        long[] sorted = counted.sorted();
        return new Result(counted.size() * itemsPerIteration / counted.seconds(), clean.size() > 0, sorted,
                counted.seconds(), windowsClean, windowsRejected);
    }

    /**
     * Runs the work untimed until both {@code iterations} calls and {@code seconds} have passed, so that
     * lazy initialization (native libraries, JIT compilation, oneDNN kernels) is done before timing.
     */
    public static void warmUp(Work work, int iterations, double seconds) throws Exception {
        long t0 = System.nanoTime();
        for (int i = 0; i < iterations || elapsed(t0) < seconds; i++) {
            work.run(i);
        }
    }

    /** Idles until a one-second sample shows the others below the threshold, or the phase time is up. */
    private void backOff(long phaseStart) throws InterruptedException {
        while (elapsed(phaseStart) < maxSeconds) {
            ProcStats.CpuSnapshot before = ProcStats.CpuSnapshot.now();
            Thread.sleep(1000);
            if (ProcStats.CpuSnapshot.now().othersCoresSince(before) < maxOthersCores) {
                return;
            }
        }
    }

    private static double elapsed(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    /** A growable list of iteration durations. */
    private static final class Times {
        private long[] nanos = new long[1024];
        private int size;
        private long sum;

        void add(long ns) {
            if (size == nanos.length) {
                nanos = Arrays.copyOf(nanos, size * 2);
            }
            nanos[size++] = ns;
            sum += ns;
        }

        void addAll(Times other) {
            for (int i = 0; i < other.size; i++) {
                add(other.nanos[i]);
            }
        }

        void clear() {
            size = 0;
            sum = 0;
        }

        int size() {
            return size;
        }

        double seconds() {
            return sum / 1e9;
        }

        long[] sorted() {
            long[] s = Arrays.copyOf(nanos, size);
            Arrays.sort(s);
            return s;
        }
    }
}
