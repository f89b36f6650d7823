/**
 * Export of trained DL4J networks to the portable cnnlab model format (models/FORMAT.md), read by
 * the pure-Java engine in {@code dev.cnnlab.inference}.
 */
package dev.cnnlab.training.export;
