/** The database the tracker uses when none is configured: a real PostgreSQL under ~/.cnnlab/pg. */
package dev.cnnlab.tracker.db;
