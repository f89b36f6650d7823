/**
 * The prediction function: {@code POST /predict} (raw JPEG/PNG, base64 JSON or multipart),
 * {@code GET /model} and the Open Inference Protocol's {@code /v2} REST API over the pure-Java
 * inference module; no JNI, so it builds as a native image.
 */
package dev.cnnlab.function;
