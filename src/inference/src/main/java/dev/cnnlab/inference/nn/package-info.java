/**
 * A pure-Java CNN forward pass over the ops of the cnnlab model format: convolution (im2col plus a
 * cache-blocked matrix multiply the JIT vectorizes), batch norm (folded into the preceding
 * convolution when possible), pooling, dense layers, residual additions and activations.
 * Activations are NCHW per image (channel-major), matching DL4J's flatten order.
 */
package dev.cnnlab.inference.nn;
