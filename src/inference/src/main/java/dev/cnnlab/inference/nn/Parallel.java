package dev.cnnlab.inference.nn;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Lends idle cores to one image's forward pass (intra-op parallelism for batch 1).
 *
 * <p>An op splits its work into independent chunks and calls {@link Job#run}. The calling thread
 * offers the job to every idle helper thread, then claims chunks from a shared counter itself,
 * as do the helpers that pick the job up. When no chunk is left the caller closes the job and
 * waits only for helpers already inside a chunk: it never waits for a helper that has not
 * started, so a busy machine costs nothing but the offer. A helper spins briefly after each job,
 * then yields for a while, before parking, because the next op's job usually follows within
 * microseconds. An exception
 * thrown in a helper's chunk is rethrown by the caller.
 *
 * <p>Nothing is allocated per call: each {@link Network.Workspace} owns its job.
 */
final class Parallel {
    /** How long a helper busy-waits for the next job after one. */
    private static final long SPIN_NANOS = 20_000;
    /**
     * How long a helper keeps looking for the next job, yielding its core to any other runnable
     * thread between looks, before it parks. Longer than the gap between two predictions' last
     * and first convolutions (the dense layers, about 40 us for keras-cifar10), so back-to-back
     * predictions never wait for a parked thread to be woken; a parked helper parked on a quiet
     * virtual machine took 50 us or more to wake.
     */
    private static final long YIELD_NANOS = 250_000;
    /** How many times a caller busy-waits for a helper's last chunk before it starts yielding. */
    private static final int CALLER_SPINS = 2_000;

    private Parallel() {
    }

    /** Work split into chunks that may run on any thread in any order. */
    interface Chunked {
        /**
         * Runs one chunk.
         *
         * @param chunk the chunk, {@code 0 <= chunk < chunks}
         * @param chunks how many chunks the work has
         * @param act the activation slots of the image
         * @param ws the caller's workspace
         */
        void runChunk(int chunk, int chunks, float[][] act, Network.Workspace ws);
    }

    /** Returns how many threads can work on one job: the caller plus the helpers. */
    static int threads() {
        return helpers().length + 1;
    }

    /** A reusable job: one per workspace, run by one caller at a time. */
    static final class Job {
        private final AtomicInteger next = new AtomicInteger();
        /** Helpers inside {@link #work()} for the current run. */
        private final AtomicInteger active = new AtomicInteger();
        private volatile boolean closed = true;
        private Chunked body;
        private int chunks;
        private float[][] act;
        private Network.Workspace ws;
        /** The first exception a helper's chunk threw, rethrown by the caller. */
        private volatile Throwable failure;

        /**
         * Runs all chunks of {@code work}, on this thread and on idle helpers, and returns when
         * every chunk is done.
         *
         * @param work the chunks
         * @param count how many chunks
         * @param slots the activation slots passed to each chunk
         * @param workspace the workspace passed to each chunk
         */
        void run(Chunked work, int count, float[][] slots, Network.Workspace workspace) {
            Helper[] helpers = helpers();
            if (count <= 1 || helpers.length == 0) {
                for (int c = 0; c < count; c++) {
                    work.runChunk(c, count, slots, workspace);
                }
                return;
            }
            body = work;
            chunks = count;
            act = slots;
            ws = workspace;
            failure = null;
            next.set(0);
            closed = false; // publishes the fields above to helpers that enter
            for (Helper h : helpers) {
                h.offer(this);
            }
            try {
                work();
            } finally {
                closed = true;
                // every chunk is claimed; wait for helpers still inside one, yielding after a
                // while in case a helper shares this core and needs it to finish
                for (int spins = 0; active.get() > 0; spins++) {
                    if (spins < CALLER_SPINS) {
                        Thread.onSpinWait();
                    } else {
                        Thread.yield();
                    }
                }
                for (Helper h : helpers) {
                    h.withdraw(this);
                }
                body = null;
                act = null;
                ws = null;
            }
            if (failure instanceof RuntimeException e) {
                throw e;
            } else if (failure instanceof Error e) {
                throw e;
            }
        }

        /** A helper's entry: false if the job closed before it arrived. */
        private boolean enter() {
            active.incrementAndGet();
            if (closed) {
                active.decrementAndGet();
                return false;
            }
            return true;
        }

        private void work() {
            for (int c; (c = next.getAndIncrement()) < chunks; ) {
                body.runChunk(c, chunks, act, ws);
            }
        }
    }

    /** A daemon thread that runs the chunks of jobs offered to it. */
    private static final class Helper extends Thread {
        /** The job offered to this helper, or the one it is running; null when idle. */
        private final AtomicReference<Job> mailbox = new AtomicReference<>();

        Helper(int index) {
            super("cnnlab-inference-helper-" + index);
            setDaemon(true);
        }

        void offer(Job job) {
            if (mailbox.compareAndSet(null, job)) {
                LockSupport.unpark(this);
            }
        }

        void withdraw(Job job) {
            mailbox.compareAndSet(job, null);
        }

        @Override
        public void run() {
            long idleSince = System.nanoTime();
            while (true) {
                Job job = mailbox.get();
                if (job == null) {
                    long idle = System.nanoTime() - idleSince;
                    if (idle < SPIN_NANOS) {
                        Thread.onSpinWait();
                    } else if (idle < YIELD_NANOS) {
                        Thread.yield();
                    } else {
                        LockSupport.park(this);
                    }
                    continue;
                }
                if (job.enter()) {
                    try {
                        job.work();
                    } catch (RuntimeException | Error e) {
                        job.failure = e; // the caller rethrows it; this helper lives on
                    } finally {
                        job.active.decrementAndGet();
                    }
                }
                mailbox.compareAndSet(job, null);
                idleSince = System.nanoTime();
            }
        }
    }

    /**
     * The helper threads, one fewer than the available cores; null until the first job asks.
     *
     * <p>They are started by the first call at run time, never by a class initializer: a native
     * image initializes classes at build time (Quarkus does so for all application classes), and a
     * thread started there would be a dead object in the image heap. The native build refuses
     * such an image ("Detected a started Thread in the image heap"), so CI's native build is the
     * test of this.
     */
    private static volatile Helper[] helpers;

    private static Helper[] helpers() {
        Helper[] started = helpers;
        if (started == null) {
            synchronized (Parallel.class) {
                started = helpers;
                if (started == null) {
                    started = startHelpers();
                    helpers = started;
                }
            }
        }
        return started;
    }

    private static Helper[] startHelpers() {
        int n = Math.max(0, Integer.getInteger("cnnlab.inference.threads",
                Runtime.getRuntime().availableProcessors()) - 1);
        Helper[] started = new Helper[n];
        for (int i = 0; i < n; i++) {
            started[i] = new Helper(i + 1);
            started[i].start();
        }
        return started;
    }
}
