/** ONNX export and import of cnnlab model files, on the official {@code onnx.proto}. */
package dev.cnnlab.onnx;
