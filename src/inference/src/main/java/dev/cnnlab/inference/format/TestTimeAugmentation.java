package dev.cnnlab.inference.format;

import java.util.Arrays;
import java.util.Locale;

/**
 * What the engine does to an image besides the plain forward pass, as the model file asks
 * ({@code testTimeAugmentation} in the model description).
 */
public enum TestTimeAugmentation {
    /** One forward pass: the output is the network's. */
    NONE,
    /**
     * Two forward passes, the image and its left-right mirror, outputs averaged: for a network
     * trained with random horizontal flips, which should not care which way an image faces.
     */
    HFLIP;

    /**
     * Returns the name stored in model files.
     *
     * @return {@code none} or {@code hflip}
     */
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a stored name, case-insensitively.
     *
     * @param s {@code none} or {@code hflip}
     * @return the value
     * @throws ModelFormatException naming the value and the known ones otherwise
     */
    public static TestTimeAugmentation parse(String s) {
        for (TestTimeAugmentation t : values()) {
            if (t.json().equalsIgnoreCase(s)) {
                return t;
            }
        }
        throw new ModelFormatException("unknown test-time augmentation '" + s + "' (known: "
                + Arrays.stream(values()).map(TestTimeAugmentation::json).toList() + ")");
    }
}
