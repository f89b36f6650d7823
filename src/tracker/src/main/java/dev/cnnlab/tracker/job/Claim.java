package dev.cnnlab.tracker.job;

/** A job this worker holds the lease of; owner is host:pid:thread. */
public record Claim(long jobId, Job.Kind kind, long runId, Integer foldIndex, int attempt, int maxAttempts,
                    String owner) {
}
