-- The typed copies of a run's optimizer, schedule and augmentation were varchar(20), a width that
-- repeats nothing in TrainingConfig and refused 'alternating-flip-translate' (26 characters). Their
-- allowed values are the enums' ids, checked once in TrainingConfig's schema; the columns take any text.
ALTER TABLE runs ALTER COLUMN optimizer TYPE text;
ALTER TABLE runs ALTER COLUMN schedule TYPE text;
ALTER TABLE runs ALTER COLUMN augmentation TYPE text;
