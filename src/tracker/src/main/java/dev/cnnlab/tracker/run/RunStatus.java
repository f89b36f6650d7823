package dev.cnnlab.tracker.run;

/** The states of a run and of a fold, as the CHECK constraints in V1 list them. */
public enum RunStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public boolean finished() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
