package dev.cnnlab.inference.format;

/** Thrown when a model file is malformed, truncated, corrupted or of an unsupported version. */
public class ModelFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception whose message names the problem.
     *
     * @param message what is wrong, naming the bad value
     */
    public ModelFormatException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a cause.
     *
     * @param message what is wrong, naming the bad value
     * @param cause the underlying error
     */
    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
