/** Exported models: the registry table, promotion to SERVED, and prediction with the served one. */
package dev.cnnlab.tracker.model;
