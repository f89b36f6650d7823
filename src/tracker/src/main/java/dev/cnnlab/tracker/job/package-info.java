/**
 * The job queue in PostgreSQL and the worker that drains it: leases claimed with
 * {@code FOR UPDATE SKIP LOCKED}, heartbeats, retries, and folds resumed from their checkpoints.
 * {@link dev.cnnlab.tracker.job.Lifecycle} makes every job, fold and run status transition and
 * documents the order in which they lock rows.
 */
package dev.cnnlab.tracker.job;
