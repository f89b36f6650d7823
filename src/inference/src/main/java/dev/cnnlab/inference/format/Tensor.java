package dev.cnnlab.inference.format;

import java.util.Arrays;

/**
 * A named float tensor stored row-major (last dimension fastest).
 *
 * @param name the tensor's name in the file, e.g. {@code conv1.weight}
 * @param shape the dimensions
 * @param data the values, {@code product(shape)} of them
 */
public record Tensor(String name, int[] shape, float[] data) {

    /** Validates that the shape is non-negative and matches the data length. */
    public Tensor {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("tensor name must not be empty: '" + name + "'");
        }
        long size = elementCount(shape);
        if (size != data.length) {
            throw new IllegalArgumentException("tensor '" + name + "' has shape "
                    + Arrays.toString(shape) + " (" + size + " values) but " + data.length
                    + " values");
        }
    }

    /**
     * Returns the number of elements a shape holds.
     *
     * @param shape the dimensions
     * @return their product
     */
    public static long elementCount(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape "
                        + Arrays.toString(shape));
            }
            n *= d;
        }
        return n;
    }

    @Override
    public String toString() {
        return "Tensor[" + name + " " + Arrays.toString(shape) + "]";
    }
}
