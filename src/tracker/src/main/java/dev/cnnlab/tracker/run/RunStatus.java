package dev.cnnlab.tracker.run;

/**
 * The states of a run and of a fold, declared here only: the entities store the names
 * ({@code @Enumerated(STRING)}), queries bind these values, {@code GET /api/schema} lists them for the
 * UI, and {@code StatusConstraintsTest} proves the database's CHECK constraints allow exactly these.
 * {@code dev.cnnlab.tracker.job.Lifecycle} makes every transition.
 */
public enum RunStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public boolean finished() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
