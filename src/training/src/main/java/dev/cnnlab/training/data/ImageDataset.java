package dev.cnnlab.training.data;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * A labelled set of 32x32 RGB images stored as uint8 CHW bytes (R plane, G plane, B plane).
 *
 * <p>The bytes usually live in a memory-mapped cache file ({@link DatasetCache}); {@link #select}
 * returns cheap views sharing the same bytes. Instances are immutable and safe to read from several
 * threads.
 */
public final class ImageDataset {
    /** Channels per image. */
    public static final int CHANNELS = 3;
    /** Image height in pixels. */
    public static final int HEIGHT = 32;
    /** Image width in pixels. */
    public static final int WIDTH = 32;
    /** Bytes per image (CHW uint8). */
    public static final int IMAGE_BYTES = CHANNELS * HEIGHT * WIDTH;

    private final ByteBuffer pixels;
    private final byte[] labels;
    private final List<String> classes;
    private final int[] index;

    private ImageDataset(ByteBuffer pixels, byte[] labels, List<String> classes, int[] index) {
        this.pixels = pixels;
        this.labels = labels;
        this.classes = List.copyOf(classes);
        this.index = index;
    }

    /**
     * Wraps image bytes and labels.
     *
     * @param pixels  {@code n * 3072} CHW bytes (read with absolute gets only)
     * @param labels  one class index per image
     * @param classes the class names, indexed by label
     * @return the data set
     */
    public static ImageDataset of(ByteBuffer pixels, byte[] labels, List<String> classes) {
        if (classes.isEmpty() || classes.size() > 256) {
            throw new IllegalArgumentException("need 1..256 classes, got " + classes.size());
        }
        if ((long) labels.length * IMAGE_BYTES != pixels.capacity()) {
            throw new IllegalArgumentException("pixel bytes " + pixels.capacity() + " != "
                    + labels.length + " images * " + IMAGE_BYTES);
        }
        for (int i = 0; i < labels.length; i++) {
            int label = labels[i] & 0xff;
            if (label >= classes.size()) {
                throw new IllegalArgumentException("label " + label + " of image " + i
                        + " is outside the " + classes.size() + " classes");
            }
        }
        return new ImageDataset(pixels, labels, classes, null);
    }

    /** Wraps heap arrays; convenient for tests and small sets. */
    public static ImageDataset of(byte[] pixels, byte[] labels, List<String> classes) {
        return of(ByteBuffer.wrap(pixels), labels, classes);
    }

    /** Returns the number of images. */
    public int size() {
        return index == null ? labels.length : index.length;
    }

    /** Returns the class names, indexed by label. */
    public List<String> classes() {
        return classes;
    }

    /** Returns the number of classes. */
    public int numClasses() {
        return classes.size();
    }

    /** Returns the label of image {@code i}. */
    public int label(int i) {
        return labels[base(i)] & 0xff;
    }

    /** Returns all labels, in order. */
    public int[] labels() {
        int[] out = new int[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = label(i);
        }
        return out;
    }

    /** Returns the number of images per class. */
    public int[] classCounts() {
        int[] counts = new int[numClasses()];
        for (int i = 0; i < size(); i++) {
            counts[label(i)]++;
        }
        return counts;
    }

    /** Copies the CHW bytes of image {@code i} into {@code dst} at {@code offset}. */
    public void copyImage(int i, byte[] dst, int offset) {
        pixels.get(base(i) * IMAGE_BYTES, dst, offset, IMAGE_BYTES);
    }

    /** Returns the CHW bytes of image {@code i}. */
    public byte[] image(int i) {
        byte[] out = new byte[IMAGE_BYTES];
        copyImage(i, out, 0);
        return out;
    }

    /**
     * Returns a view of the given images (indices into this set), sharing the pixel bytes.
     *
     * @param indices positions in this set, each in {@code [0, size())}
     * @return the view
     */
    public ImageDataset select(int[] indices) {
        int[] mapped = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || indices[i] >= size()) {
                throw new IllegalArgumentException("index " + indices[i] + " outside [0, " + size() + ")");
            }
            mapped[i] = base(indices[i]);
        }
        return new ImageDataset(pixels, labels, classes, mapped);
    }

    private int base(int i) {
        if (i < 0 || i >= size()) {
            throw new IndexOutOfBoundsException("image " + i + " outside [0, " + size() + ")");
        }
        return index == null ? i : index[i];
    }

    @Override
    public String toString() {
        return "ImageDataset[" + size() + " images, classes=" + classes + ", perClass="
                + Arrays.toString(classCounts()) + "]";
    }
}
