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
    CROP_FLIP_CUTOUT;

    /** Returns whether images are shifted by a random crop of the padded image. */
    public boolean crops() {
        return this == CROP_FLIP || this == CROP_FLIP_CUTOUT;
    }
}
