-- What the worker measures per fold, so the run's throughput and time aggregate from stored rows.
ALTER TABLE folds ADD COLUMN seconds double precision;
ALTER TABLE folds ADD COLUMN images_per_sec double precision;
ALTER TABLE folds ADD COLUMN error text;
