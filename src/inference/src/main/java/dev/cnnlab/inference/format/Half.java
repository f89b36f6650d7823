package dev.cnnlab.inference.format;

/**
 * IEEE 754 half precision (binary16) to and from float, bit for bit as Java 20's
 * {@code Float.float16ToFloat} and {@code Float.floatToFloat16} (this code targets Java 17).
 */
final class Half {
    /**
     * The smallest magnitude that rounds to infinity: 65520, halfway between 65504 (the largest
     * half) and 2^16.
     */
    static final float OVERFLOW = 65520f;

    private Half() {
    }

    /**
     * Widens a half to the float of the same value (exact: every half is a float).
     *
     * @param half the 16 bits
     * @return the value; infinities stay infinite and NaNs stay NaN
     */
    static float toFloat(short half) {
        int h = half & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0x1f) {
            // infinity, or a NaN made quiet with its payload kept in the top mantissa bits
            int nan = mantissa == 0 ? 0 : 0x400000 | mantissa << 13;
            return Float.intBitsToFloat(sign | 0x7f800000 | nan);
        }
        if (exponent == 0) {
            // zero or subnormal: mantissa * 2^-24, exact in float
            float v = mantissa * 0x1p-24f;
            return sign == 0 ? v : -v;
        }
        // normal: rebias the exponent from 15 to 127 (+112) and widen the mantissa
        return Float.intBitsToFloat(sign | (exponent + 112) << 23 | mantissa << 13);
    }

    /**
     * Rounds a float to the nearest half, ties to even; magnitudes from 65520 up become infinite.
     *
     * @param f the value
     * @return the 16 bits
     */
    static short fromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int abs = bits & 0x7fffffff;
        if (abs > 0x7f800000) {
            // NaN: quiet, with the top of the payload
            return (short) (sign | 0x7e00 | (abs >>> 13) & 0x3ff);
        }
        if (abs >= 0x477ff000) {
            // OVERFLOW or more, or infinity
            return (short) (sign | 0x7c00);
        }
        if (abs < 0x38800000) {
            // below 2^-14, the smallest normal half: count units of 2^-24 (the scaling is exact);
            // rounding up to 1024 units gives 0x0400, the smallest normal, as it should
            return (short) (sign | (int) Math.rint(Float.intBitsToFloat(abs) * 0x1p24f));
        }
        // normal: rebias the exponent (-112 << 23), keep the top 10 mantissa bits and round on
        // the 13 dropped ones; a carry out of the mantissa correctly bumps the exponent
        int h = (abs - 0x38000000) >>> 13;
        int dropped = abs & 0x1fff;
        if (dropped > 0x1000 || dropped == 0x1000 && (h & 1) != 0) {
            h++;
        }
        return (short) (sign | h);
    }
}
