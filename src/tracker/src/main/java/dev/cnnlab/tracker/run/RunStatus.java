package dev.cnnlab.tracker.run;

/**
 * The states of a run and of a fold, declared here only: the entities store the names
 * ({@code @Enumerated(STRING)}), queries bind these values, {@code GET /api/schema} lists them for the
 * UI, and {@code StatusConstraintsTest} proves the database's CHECK constraints allow exactly these.
 * {@code dev.cnnlab.tracker.job.Lifecycle} makes every transition. PRUNED is a run stopped early by
 * fold-level pruning (its {@code stopReason} says why); it is a verdict on the configuration, not a
 * failure, and only runs take it (the folds it did not train are CANCELLED). STOPPED_EARLY is a run
 * that ASHA did not promote at a rung ({@code tracker.search}), with its folds: also a verdict, never
 * a failure; its {@code stopReason} names the rung.
 */
public enum RunStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED, PRUNED, STOPPED_EARLY;

    public boolean finished() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED || this == PRUNED || this == STOPPED_EARLY;
    }
}
