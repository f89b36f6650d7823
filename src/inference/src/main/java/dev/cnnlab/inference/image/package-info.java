/**
 * Image decoding and preprocessing: JPEG/PNG via {@code javax.imageio} with a size check before
 * decoding, resampling to the model's input size and per-channel normalization.
 */
package dev.cnnlab.inference.image;
