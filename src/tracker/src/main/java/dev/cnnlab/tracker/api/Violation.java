package dev.cnnlab.tracker.api;

/** One invalid field of a request, e.g. {@code batchSizes[1]} "must be between 1 and 4096". */
public record Violation(String field, String message) {
}
