-- Access control: every write records the name of the API token that made it. Experiments and
-- runs already have created_by; a cancel and a promotion are writes on existing rows.
ALTER TABLE runs ADD COLUMN cancelled_by varchar(200);
ALTER TABLE models ADD COLUMN promoted_by varchar(200);
ALTER TABLE models ADD COLUMN promoted_at timestamptz;
