/**
 * The cnnlab tracker: experiments, runs, folds and models in PostgreSQL, a REST API for the UI,
 * and the job worker that trains folds through the training library.
 */
package dev.cnnlab.tracker;
