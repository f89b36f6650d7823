package dev.cnnlab.inference.format;

/**
 * How weights are stored in a model file; the names are safetensors' {@code dtype} values.
 * Either way the engine computes in float: {@link #F16} weights are widened when read.
 */
public enum Dtype {
    /** IEEE 754 single precision, 4 bytes a value. */
    F32(4),
    /**
     * IEEE 754 half precision, 2 bytes a value: 11 significant bits (relative rounding error at
     * most 2^-11) and magnitudes up to 65504.
     */
    F16(2);

    private final int bytes;

    Dtype(int bytes) {
        this.bytes = bytes;
    }

    /**
     * Returns the bytes one value takes.
     *
     * @return 4 or 2
     */
    public int bytes() {
        return bytes;
    }

    /**
     * Parses a name such as {@code f16} or {@code F32}, ignoring case.
     *
     * @param name the name
     * @return the dtype
     * @throws IllegalArgumentException naming the value when it is neither F32 nor F16
     */
    public static Dtype parse(String name) {
        for (Dtype d : values()) {
            if (d.name().equalsIgnoreCase(name)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown weight dtype '" + name + "' (use f32 or f16)");
    }
}
