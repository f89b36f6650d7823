package dev.cnnlab.inference.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ParallelTest {

    @Test
    void everyChunkRunsExactlyOnceAndTheJobIsReusable() {
        Parallel.Job job = new Parallel.Job();
        for (int count = 0; count <= 9; count++) {
            for (int rep = 0; rep < 200; rep++) {
                AtomicIntegerArray runs = new AtomicIntegerArray(Math.max(count, 1));
                int expected = count;
                job.run((chunk, chunks, act, ws) -> {
                    assertEquals(expected, chunks);
                    runs.incrementAndGet(chunk);
                }, count, null, null);
                for (int c = 0; c < count; c++) {
                    assertEquals(1, runs.get(c), "chunk " + c + " of " + count + ", rep " + rep);
                }
            }
        }
    }

    @Test
    void idleHelpersTakeChunks() {
        assumeTrue(Parallel.threads() > 1, "needs 2 or more cores");
        Parallel.Job job = new Parallel.Job();
        Set<String> threads = ConcurrentHashMap.newKeySet();
        for (int rep = 0; rep < 50 && threads.size() < 2; rep++) {
            job.run((chunk, chunks, act, ws) -> {
                threads.add(Thread.currentThread().getName());
                sleep(2);
            }, 8, null, null);
        }
        assertTrue(threads.stream().anyMatch(t -> t.startsWith("cnnlab-inference-helper")),
                "only ran on " + threads);
    }

    @Test
    void aChunkFailureReachesTheCallerWhateverThreadRanIt() {
        Parallel.Job job = new Parallel.Job();
        for (int bad = 0; bad < 8; bad++) {
            int failing = bad;
            IllegalStateException boom = new IllegalStateException("chunk " + failing);
            var e = assertThrows(IllegalStateException.class, () -> job.run((chunk, c, a, w) -> {
                sleep(1);
                if (chunk == failing) {
                    throw boom;
                }
            }, 8, null, null));
            assertSame(boom, e);
        }
        AtomicIntegerArray runs = new AtomicIntegerArray(4);
        job.run((chunk, chunks, act, ws) -> runs.incrementAndGet(chunk), 4, null, null);
        assertEquals("[1, 1, 1, 1]", runs.toString());
    }

    @Test
    void concurrentCallersShareTheHelpersWithoutLosingChunks() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                done.add(callers.submit(() -> {
                    Parallel.Job job = new Parallel.Job();
                    for (int rep = 0; rep < 500; rep++) {
                        AtomicIntegerArray runs = new AtomicIntegerArray(6);
                        job.run((chunk, chunks, act, ws) -> runs.incrementAndGet(chunk), 6,
                                null, null);
                        assertEquals("[1, 1, 1, 1, 1, 1]", runs.toString());
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            callers.shutdownNow();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
