package dev.cnnlab.inference.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class ImagePreprocessorTest {
    private static final ImagePreprocessor RAW = new ImagePreprocessor(new int[] {3, 2, 2},
            new float[] {0, 0, 0}, new float[] {1, 1, 1});

    static BufferedImage image(int w, int h, int[] rgb) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        img.setRGB(0, 0, w, h, rgb, 0, w);
        return img;
    }

    @Test
    void sameSizeIsChannelMajorAndNormalized() {
        ImagePreprocessor p = new ImagePreprocessor(new int[] {3, 1, 2},
                new float[] {0.5f, 0f, 0f}, new float[] {0.5f, 1f, 2f});
        float[] x = p.toChw(image(2, 1, new int[] {0xFF00FF00, 0xFFFF0033}));
        // R: (0 - .5) / .5, (1 - .5) / .5; G: 1, 0; B: 0, 0x33 / 255 / 2
        assertArrayEquals(new float[] {-1f, 1f, 1f, 0f, 0f, 0.1f}, x, 1e-6f);
    }

    @Test
    void downscalingAveragesAreas() {
        // 4x4 image of 2x2 blocks of grey values 0, 40, 80, 120 -> 2x2 block means
        int[] px = new int[16];
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                int v = 40 * ((y / 2) * 2 + x / 2);
                px[y * 4 + x] = 0xFF000000 | v << 16 | v << 8 | v;
            }
        }
        float[] x = RAW.toChw(image(4, 4, px));
        assertArrayEquals(new float[] {0, 40 / 255f, 80 / 255f, 120 / 255f},
                java.util.Arrays.copyOf(x, 4), 1e-6f);
    }

    @Test
    void fractionalDownscalingWeighsPartialPixels() {
        // 3 pixels wide (0, 90, 180) to 2: out0 = (0 + 90 / 2) / 1.5 = 30, out1 = (45 + 180) / 1.5
        ImagePreprocessor p = new ImagePreprocessor(new int[] {1, 1, 2}, new float[] {0},
                new float[] {1});
        int[] px = {0xFF000000, 0xFF5A5A5A, 0xFFB4B4B4};
        float[] x = p.toChw(image(3, 1, px));
        assertArrayEquals(new float[] {30 / 255f, 150 / 255f}, x, 1e-5f);
    }

    @Test
    void upscalingInterpolatesBilinearly() {
        // 1x2 (0, 200) to 1x4: centers at -0.25, 0.25, 0.75, 1.25 -> 0, 50, 150, 200
        ImagePreprocessor p = new ImagePreprocessor(new int[] {3, 1, 4}, new float[3],
                new float[] {1, 1, 1});
        float[] x = p.toChw(image(2, 1, new int[] {0xFF000000, 0xFFC8C8C8}));
        assertArrayEquals(new float[] {0, 50 / 255f, 150 / 255f, 200 / 255f},
                java.util.Arrays.copyOf(x, 4), 1e-5f);
    }

    @Test
    void transparentPixelsBecomeWhiteAndGreyModelsGetLuma() {
        ImagePreprocessor grey = new ImagePreprocessor(new int[] {1, 1, 2}, new float[] {0},
                new float[] {1});
        float[] x = grey.toChw(image(2, 1, new int[] {0x00000000, 0xFFFF0000}));
        assertArrayEquals(new float[] {1f, 0.299f}, x, 1e-5f);
    }

    @Test
    void subsampledDecodingOfALargeSmoothImageMatchesFullDecoding() throws Exception {
        int w = 640;
        int h = 512;
        BufferedImage big = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                big.setRGB(x, y, (x * 255 / w) << 16 | (y * 255 / h) << 8 | 77);
            }
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(big, "png", out);
        ImagePreprocessor p = new ImagePreprocessor(new int[] {3, 32, 32}, new float[3],
                new float[] {1, 1, 1});
        float[] full = p.toChw(big);
        float[] fast = p.preprocess(out.toByteArray());
        assertArrayEquals(full, fast, 2.5f / 255);
    }

    @Test
    void rejectsBadShapes() {
        var e = assertThrows(IllegalArgumentException.class, () -> new ImagePreprocessor(
                new int[] {4, 32, 32}, new float[4], new float[4]));
        assertTrue(e.getMessage().contains("[4, 32, 32]"), e.getMessage());
        assertEquals(3 * 2 * 2, RAW.toChw(image(7, 5, new int[35])).length);
    }
    @Test
    void normalizesRawPixelBatchesAsToChwDoes() {
        ImagePreprocessor p = new ImagePreprocessor(new int[] {3, 1, 2},
                new float[] {0.5f, 0f, 0f}, new float[] {0.5f, 1f, 2f});
        // the pixels of sameSizeIsChannelMajorAndNormalized, twice (a batch of two)
        float[] one = {0, 255, 255, 0, 0, 0x33};
        float[] two = new float[12];
        System.arraycopy(one, 0, two, 0, 6);
        System.arraycopy(one, 0, two, 6, 6);
        p.normalize(two);
        float[] expected = p.toChw(image(2, 1, new int[] {0xFF00FF00, 0xFFFF0033}));
        assertArrayEquals(expected, java.util.Arrays.copyOfRange(two, 0, 6), 0f);
        assertArrayEquals(expected, java.util.Arrays.copyOfRange(two, 6, 12), 0f);
        var e = assertThrows(IllegalArgumentException.class, () -> p.normalize(new float[7]));
        assertTrue(e.getMessage().contains("7"), e.getMessage());
    }
}
