/** Experiments: a validated spec whose grid expands into runs, and the REST resource for them. */
package dev.cnnlab.tracker.experiment;
