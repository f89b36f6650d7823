package dev.cnnlab.training.data;

/** Training-time image augmentation. */
public enum Augmentation {
    /** No augmentation. */
    NONE,
    /** Horizontal flip with probability 1/2. */
    FLIP,
    /** Random 32x32 crop of the image zero-padded by 4 pixels (black), then horizontal flip with probability 1/2. */
    CROP_FLIP
}
