/**
 * The benchmark suite: parts that measure cnnlab (and convert the peers' output) into result rows
 * ({@link dev.cnnlab.bench.Row}), and the {@link dev.cnnlab.bench.Report} that aggregates them. Run by
 * {@code src/bench/run.sh}, never as tests.
 */
package dev.cnnlab.bench;
