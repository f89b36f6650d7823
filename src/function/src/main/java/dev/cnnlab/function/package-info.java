/**
 * The prediction function: {@code POST /predict} (raw JPEG/PNG, base64 JSON or multipart) and
 * {@code GET /model} over the pure-Java inference module; no JNI, so it builds as a native image.
 */
package dev.cnnlab.function;
