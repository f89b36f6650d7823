/**
 * The training loop: configuration, epoch loop, checkpoints, k-fold cross-validation and evaluation.
 */
package dev.cnnlab.training.loop;
