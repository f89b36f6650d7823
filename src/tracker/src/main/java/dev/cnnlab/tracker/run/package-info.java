/** Runs (one grid point), their folds and per-epoch metrics; listing, comparing and statistics. */
package dev.cnnlab.tracker.run;
