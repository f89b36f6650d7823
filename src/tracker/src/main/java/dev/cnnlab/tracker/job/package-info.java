/**
 * The job queue in PostgreSQL and the worker that drains it: leases claimed with
 * {@code FOR UPDATE SKIP LOCKED}, heartbeats, retries, and folds resumed from their checkpoints.
 */
package dev.cnnlab.tracker.job;
