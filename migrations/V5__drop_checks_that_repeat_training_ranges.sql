-- The ranges of batch_size, epochs and folds are declared once, on TrainingConfig's fields, and
-- checked when a run's config is built. These copies had drifted from it (folds 1..100 here, 2..20 in
-- the spec parser). Dropping a CHECK leaves every stored row readable.
ALTER TABLE runs DROP CONSTRAINT ck_runs_batch_size;
ALTER TABLE runs DROP CONSTRAINT ck_runs_epochs;
ALTER TABLE runs DROP CONSTRAINT ck_runs_folds;
