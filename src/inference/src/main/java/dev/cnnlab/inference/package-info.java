/**
 * Pure-Java CNN inference: read a cnnlab model file, preprocess an image and predict its top-k
 * labels, without JNI. Start with {@link dev.cnnlab.inference.Predictor}.
 */
package dev.cnnlab.inference;
