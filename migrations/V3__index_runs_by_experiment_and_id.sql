-- The runs table of an experiment pages in id order (the UI's default sort). With only
-- (experiment_id), PostgreSQL walked the primary key and filtered out every other experiment's runs
-- first: 9,500 rows for the last of 20 experiments (src/bench/tracker.sh, 10,000 runs: 15 ms for
-- the query). (experiment_id, id) reads just the page's rows (0.4 ms) and serves every query the
-- old index served.
CREATE INDEX ix_runs_experiment_id ON runs (experiment_id, id);
DROP INDEX ix_runs_experiment;
