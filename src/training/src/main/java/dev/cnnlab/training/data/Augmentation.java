package dev.cnnlab.training.data;

/** Training-time image augmentation. */
public enum Augmentation {
    /** No augmentation. */
    NONE,
    /** Horizontal flip with probability 1/2. */
    FLIP,
    /** Random 32x32 crop of the image zero-padded by 4 pixels (black), then horizontal flip with probability 1/2. */
    CROP_FLIP,
    /**
     * CROP_FLIP, then cutout (DeVries and Taylor 2017): a 16x16 square centred on a random pixel (clipped at
     * the border) is set to the data set's mean, 0 after normalization.
     */
    CROP_FLIP_CUTOUT,
    /**
     * airbench's: each image is mirrored on every other epoch, starting mirrored or not at random (so it
     * is seen both ways in any two epochs in a row), and translated by up to 2 pixels in each direction
     * over its reflection (edge pixels not repeated) instead of black padding.
     */
    ALTERNATING_FLIP_TRANSLATE;

    /** Returns whether images are shifted by a random crop of the padded image. */
    public boolean crops() {
        return this == CROP_FLIP || this == CROP_FLIP_CUTOUT;
    }
}
