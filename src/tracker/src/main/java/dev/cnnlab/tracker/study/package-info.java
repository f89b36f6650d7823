/**
 * The views a study needs, computed server-side: the summary metric of a fold (best epoch, last
 * epoch, mean of the last n), accuracy by any swept field, parallel coordinates, accuracy against
 * wall time and images seen, and the per-class change of the confusion matrix between two runs.
 */
package dev.cnnlab.tracker.study;
