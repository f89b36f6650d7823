package dev.cnnlab.training.data;

import java.util.Arrays;
import java.util.List;

/** A growable in-memory collection of CHW uint8 images and labels, filled by the readers. */
final class ImageBuffer {
    private byte[] pixels = new byte[ImageDataset.IMAGE_BYTES * 256];
    private byte[] labels = new byte[256];
    private int size;

    /** Appends one image (3072 CHW bytes from {@code src} at {@code offset}). */
    void add(byte[] src, int offset, int label) {
        if (size == labels.length) {
            labels = Arrays.copyOf(labels, size * 2);
            pixels = Arrays.copyOf(pixels, size * 2 * ImageDataset.IMAGE_BYTES);
        }
        System.arraycopy(src, offset, pixels, size * ImageDataset.IMAGE_BYTES, ImageDataset.IMAGE_BYTES);
        labels[size++] = (byte) label;
    }

    int size() {
        return size;
    }

    ImageDataset toDataset(List<String> classes) {
        return ImageDataset.of(Arrays.copyOf(pixels, size * ImageDataset.IMAGE_BYTES),
                Arrays.copyOf(labels, size), classes);
    }
}
