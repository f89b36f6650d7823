package dev.cnnlab.tracker.job;

/**
 * A job this worker holds the lease of; owner is host:pid:thread; targetEpoch is the epoch a fold trains
 * up to (an ASHA rung), null for the run's last.
 */
public record Claim(long jobId, Job.Kind kind, long runId, Integer foldIndex, int attempt, int maxAttempts,
                    String owner, Integer targetEpoch) {
}
