package dev.cnnlab.tracker.api;

import java.util.List;

/** An error answer: HTTP status, a message naming the problem and, for validation, each field. */
public class ApiException extends RuntimeException {
    private final int status;
    private final List<Violation> violations;

    public ApiException(int status, String message) {
        this(status, message, List.of());
    }

    public ApiException(int status, String message, List<Violation> violations) {
        super(message);
        this.status = status;
        this.violations = List.copyOf(violations);
    }

    public static ApiException notFound(String what, long id) {
        return new ApiException(404, what + " " + id + " not found");
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    public static ApiException invalid(List<Violation> violations) {
        String first = violations.get(0).field() + " " + violations.get(0).message();
        String more = violations.size() > 1 ? " (and " + (violations.size() - 1) + " more)" : "";
        return new ApiException(400, "invalid request: " + first + more, violations);
    }

    public int status() {
        return status;
    }

    public List<Violation> violations() {
        return violations;
    }
}
