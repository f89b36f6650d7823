package dev.cnnlab.inference.format;

import java.util.Arrays;

/**
 * What the engine does to an image besides the plain forward pass, as the model file asks
 * ({@code testTimeAugmentation} in the model description).
 */
public enum TestTimeAugmentation {
    /** One forward pass: the output is the network's. */
    NONE("none", 1),
    /**
     * Two forward passes, the image and its left-right mirror, outputs (the probabilities of a
     * softmax-terminated graph) averaged: for a network trained with random horizontal flips, which
     * should not care which way an image faces.
     */
    HFLIP("hflip", 2),
    /**
     * Six forward passes, airbench94's multi-view augmentation: the image and its mirror with
     * weight 1/4 each, and the image translated one pixel diagonally up-left and down-right
     * (reflect padding), each also mirrored, with weight 1/8 each. The weighted mean is taken of
     * the logits, the input of the graph's final {@code softmax}, which is then applied to it: for a
     * network trained with flips and small random translations.
     */
    HFLIP_TRANSLATE("hflip-translate", 6);

    private final String json;
    private final int views;

    TestTimeAugmentation(String json, int views) {
        this.json = json;
        this.views = views;
    }

    /**
     * Returns the name stored in model files.
     *
     * @return {@code none}, {@code hflip} or {@code hflip-translate}
     */
    public String json() {
        return json;
    }

    /**
     * Returns how many forward passes one prediction runs.
     *
     * @return 1, 2 or 6
     */
    public int views() {
        return views;
    }

    /**
     * Parses a stored name, case-insensitively.
     *
     * @param s {@code none}, {@code hflip} or {@code hflip-translate}
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
