-- Fold-level pruning: a run whose finished folds are significantly worse than the best run's stops
-- early as PRUNED (never FAILED), and stop_reason says why. A fold never becomes PRUNED (its job is
-- cancelled), but folds and runs share one status enum, so both CHECKs list the same values.
ALTER TABLE runs ADD COLUMN stop_reason text;
ALTER TABLE runs DROP CONSTRAINT ck_runs_status;
ALTER TABLE runs ADD CONSTRAINT ck_runs_status
    CHECK (status IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'PRUNED'));
ALTER TABLE folds DROP CONSTRAINT ck_folds_status;
ALTER TABLE folds ADD CONSTRAINT ck_folds_status
    CHECK (status IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'PRUNED'));
