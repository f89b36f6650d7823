/**
 * The portable cnnlab model format: safetensors weights plus a versioned JSON description of the
 * network graph, input shape, normalization, labels and provenance (see models/FORMAT.md).
 */
package dev.cnnlab.inference.format;
