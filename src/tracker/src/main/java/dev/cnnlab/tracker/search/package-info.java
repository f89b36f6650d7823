/**
 * Early stopping across runs: asynchronous successive halving (ASHA, Li et al. 2018) over an
 * experiment's runs. {@link dev.cnnlab.tracker.search.Asha} is the spec option,
 * {@link dev.cnnlab.tracker.search.SuccessiveHalving} the pure promotion rule,
 * {@link dev.cnnlab.tracker.search.Promotions} applies it to the recorded rungs under the experiment's
 * row lock, called by {@code tracker.job.Lifecycle}, and {@link dev.cnnlab.tracker.search.SearchResource}
 * shows the rungs and the compute saved.
 */
package dev.cnnlab.tracker.search;
