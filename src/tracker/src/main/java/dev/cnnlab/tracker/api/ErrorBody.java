package dev.cnnlab.tracker.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The JSON body of every error answer. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ErrorBody(int code, String error, List<Violation> violations) {
    public ErrorBody(int code, String error) {
        this(code, error, List.of());
    }
}
