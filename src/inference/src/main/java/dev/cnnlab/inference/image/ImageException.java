package dev.cnnlab.inference.image;

/**
 * Base of the errors about a submitted image; the subclass says whether it is not an image, a
 * broken image or one too large to decode.
 */
public class ImageException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message what is wrong with the image
     * @param cause the decoder's error, or null
     */
    public ImageException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The bytes are not in a supported image format (an HTTP edge answers 415). */
    public static final class UnsupportedFormat extends ImageException {
        private static final long serialVersionUID = 1L;

        /**
         * Creates an exception.
         *
         * @param message what was found instead
         */
        public UnsupportedFormat(String message) {
            super(message, null);
        }
    }

    /** The bytes claim a supported format but cannot be decoded (an HTTP edge answers 400). */
    public static final class Corrupt extends ImageException {
        private static final long serialVersionUID = 1L;

        /**
         * Creates an exception.
         *
         * @param message what failed
         * @param cause the decoder's error
         */
        public Corrupt(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The declared dimensions exceed the limits; nothing was decoded (HTTP 413). */
    public static final class TooLarge extends ImageException {
        private static final long serialVersionUID = 1L;

        /**
         * Creates an exception.
         *
         * @param message the declared dimensions and the limit
         */
        public TooLarge(String message) {
            super(message, null);
        }
    }
}
