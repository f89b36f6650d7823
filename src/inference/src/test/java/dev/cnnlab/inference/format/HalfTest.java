package dev.cnnlab.inference.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Half conversion against the definition of binary16, over every one of the 65536 halves. */
class HalfTest {

    /** The value of a half straight from IEEE 754's definition, in double arithmetic. */
    static double reference(int h) {
        double sign = (h & 0x8000) != 0 ? -1 : 1;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 31) {
            return mantissa == 0 ? sign * Double.POSITIVE_INFINITY : Double.NaN;
        }
        if (exponent == 0) {
            return sign * mantissa / 1024.0 * Math.pow(2, -14);
        }
        return sign * (1 + mantissa / 1024.0) * Math.pow(2, exponent - 15);
    }

    @Test
    void widensEveryHalfToItsExactValue() {
        for (int h = 0; h < 65536; h++) {
            float actual = Half.toFloat((short) h);
            double expected = reference(h);
            if (Double.isNaN(expected)) {
                assertTrue(Float.isNaN(actual), Integer.toHexString(h));
            } else {
                // compare bits, so that -0 differs from +0
                assertEquals(Float.floatToIntBits((float) expected), Float.floatToIntBits(actual),
                        Integer.toHexString(h));
                assertEquals(expected, actual, 0.0, Integer.toHexString(h));
            }
        }
        assertEquals(65504f, Half.toFloat((short) 0x7bff));
        assertEquals(0x1p-24f, Half.toFloat((short) 0x0001));
        assertEquals(0x1p-14f, Half.toFloat((short) 0x0400));
    }

    @Test
    void narrowsEveryHalfBackToItself() {
        for (int h = 0; h < 65536; h++) {
            short back = Half.fromFloat(Half.toFloat((short) h));
            if (Double.isNaN(reference(h))) {
                assertTrue(Double.isNaN(reference(back & 0xffff)), Integer.toHexString(h));
            } else {
                assertEquals(h, back & 0xffff, Integer.toHexString(h));
            }
        }
    }

    @Test
    void roundsToNearestWithTiesToEvenBetweenEveryPairOfNeighbours() {
        // every pair of adjacent non-negative halves, from (0, 2^-24) to (65504, infinity)
        for (int a = 0; a < 0x7c00; a++) {
            float lo = Half.toFloat((short) a);
            float hi = a == 0x7bff ? 65536f : Half.toFloat((short) (a + 1));
            float mid = (lo + hi) / 2; // exact: halves need 11 significant bits, floats have 24
            int even = (a & 1) == 0 ? a : a + 1;
            String where = Integer.toHexString(a);
            assertEquals(even, Half.fromFloat(mid) & 0xffff, where);
            assertEquals(a, Half.fromFloat(Math.nextDown(mid)) & 0xffff, where);
            assertEquals(a + 1, Half.fromFloat(Math.nextUp(mid)) & 0xffff, where);
            assertEquals(even | 0x8000, Half.fromFloat(-mid) & 0xffff, where);
            assertEquals(a | 0x8000, Half.fromFloat(-Math.nextDown(mid)) & 0xffff, where);
        }
    }

    @Test
    void overflowsToInfinityAndUnderflowsToSignedZero() {
        assertEquals(0x7bff, Half.fromFloat(Math.nextDown(Half.OVERFLOW)));
        assertEquals(0x7c00, Half.fromFloat(Half.OVERFLOW));
        assertEquals(0x7c00, Half.fromFloat(1e10f));
        assertEquals(0x7c00, Half.fromFloat(Float.POSITIVE_INFINITY));
        assertEquals(0xfc00, Half.fromFloat(-Float.MAX_VALUE) & 0xffff);
        assertEquals(0x0000, Half.fromFloat(0x1p-25f), "halfway to 2^-24 rounds to even 0");
        assertEquals(0x0001, Half.fromFloat(Math.nextUp(0x1p-25f)));
        assertEquals(0x0000, Half.fromFloat(Float.MIN_VALUE));
        assertEquals(0x8000, Half.fromFloat(-Float.MIN_VALUE) & 0xffff);
        assertEquals(0x8000, Half.fromFloat(-0f) & 0xffff);
        assertTrue(Float.isNaN(Half.toFloat(Half.fromFloat(Float.NaN))));
    }
}
