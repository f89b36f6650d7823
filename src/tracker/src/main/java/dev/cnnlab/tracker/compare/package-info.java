/** Statistics that turn a comparison of runs over the same folds into a decision. */
package dev.cnnlab.tracker.compare;
