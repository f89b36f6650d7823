-- ASHA early stopping across runs (the spec's "search": {"kind": "asha", ...}). A fold job trains up
-- to its run's current rung (target_epoch; NULL: the run's last epoch). When a run's last fold reaches
-- a rung, its score is recorded once per (run, rung) and the run is promoted (its jobs queued again
-- with the next target) or stops as STOPPED_EARLY, never FAILED. decision stays NULL while the run
-- waits at the rung (parked) for later arrivals to rank below it.
ALTER TABLE jobs ADD COLUMN target_epoch integer;
ALTER TABLE jobs ADD CONSTRAINT ck_jobs_target_epoch CHECK (target_epoch IS NULL OR target_epoch >= 1);

CREATE TABLE run_rungs (
    run_id        bigint           NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    rung          integer          NOT NULL,
    experiment_id bigint           NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
    epoch         integer          NOT NULL,
    score         double precision NOT NULL,
    arrival       integer          NOT NULL,
    arrived_at    timestamptz      NOT NULL DEFAULT now(),
    decision      varchar(16),
    decided_at    timestamptz,
    decided_by    varchar(200),
    reason        text,
    CONSTRAINT pk_run_rungs PRIMARY KEY (run_id, rung),
    CONSTRAINT uq_run_rungs_arrival UNIQUE (experiment_id, rung, arrival),
    CONSTRAINT ck_run_rungs_decision CHECK (decision IN ('PROMOTED', 'STOPPED')),
    CONSTRAINT ck_run_rungs_decided CHECK ((decision IS NULL) = (decided_at IS NULL))
);

-- A decision is taken once: once set, it and its details cannot change.
CREATE FUNCTION run_rungs_decided_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.decision IS NOT NULL AND (NEW.decision IS DISTINCT FROM OLD.decision
            OR NEW.decided_at IS DISTINCT FROM OLD.decided_at OR NEW.decided_by IS DISTINCT FROM OLD.decided_by) THEN
        RAISE EXCEPTION 'run % rung % was already decided: %', OLD.run_id, OLD.rung, OLD.decision;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER tr_run_rungs_decided_once BEFORE UPDATE ON run_rungs
    FOR EACH ROW EXECUTE FUNCTION run_rungs_decided_once();

ALTER TABLE runs DROP CONSTRAINT ck_runs_status;
ALTER TABLE runs ADD CONSTRAINT ck_runs_status
    CHECK (status IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'PRUNED', 'STOPPED_EARLY'));
ALTER TABLE folds DROP CONSTRAINT ck_folds_status;
ALTER TABLE folds ADD CONSTRAINT ck_folds_status
    CHECK (status IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'PRUNED', 'STOPPED_EARLY'));
