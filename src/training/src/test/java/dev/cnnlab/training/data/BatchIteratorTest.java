package dev.cnnlab.training.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

class BatchIteratorTest {

    @Test
    void producesNormalizedNchwBatchesWithOneHotLabels() {
        byte[] pixels = new byte[2 * 3072];
        pixels[0] = (byte) 255; // image 0, R(0,0)
        pixels[3072 + 1024 + 33] = 51; // image 1, G(1,1)
        ImageDataset d = ImageDataset.of(pixels, new byte[] {1, 0}, List.of("a", "b"));
        Normalization n = new Normalization(new float[] {0.5f, 0.1f, 0f}, new float[] {0.5f, 0.2f, 1f});
        BatchIterator it = new BatchIterator(d, 5, n, Augmentation.NONE, false, 0);
        DataSet b = it.next();
        assertFalse(it.hasNext());
        assertArrayEquals(new long[] {2, 3, 32, 32}, b.getFeatures().shape());
        INDArray f = b.getFeatures();
        assertEquals(1f, f.getFloat(0, 0, 0, 0), 1e-6); // (1 - .5) / .5
        assertEquals(-1f, f.getFloat(0, 0, 0, 1), 1e-6); // (0 - .5) / .5
        assertEquals(0.5f, f.getFloat(1, 1, 1, 1), 1e-6); // (.2 - .1) / .2
        assertEquals(0f, f.getFloat(1, 2, 5, 5), 1e-6);
        assertArrayEquals(new float[] {0, 1, 1, 0}, b.getLabels().data().asFloat());
    }

    @Test
    void flipMirrorsAndCropShiftsWithinPadding() {
        byte[] pixels = new byte[3072];
        for (int x = 0; x < 32; x++) {
            pixels[x] = (byte) (x + 1); // row 0 of the red plane: 1..32
        }
        ImageDataset d = ImageDataset.of(pixels, new byte[] {0}, List.of("a"));
        boolean sawFlip = false;
        boolean sawPlain = false;
        for (int e = 0; e < 20; e++) {
            BatchIterator it = new BatchIterator(d, 1, Normalization.none(), Augmentation.FLIP, true, 3);
            it.setEpoch(e);
            float first = it.next().getFeatures().getFloat(0, 0, 0, 0) * 255;
            if (Math.round(first) == 32) {
                sawFlip = true;
            } else {
                assertEquals(1, Math.round(first));
                sawPlain = true;
            }
        }
        assertTrue(sawFlip && sawPlain, "flip happens about half the time");
        for (int e = 0; e < 20; e++) {
            BatchIterator it = new BatchIterator(d, 1, Normalization.none(), Augmentation.CROP_FLIP, true, 3);
            it.setEpoch(e);
            float[] img = it.next().getFeatures().data().asFloat();
            long nonZero = 0;
            for (int i = 0; i < 3072; i++) {
                nonZero += img[i] != 0 ? 1 : 0;
            }
            assertTrue(nonZero >= 28 && nonZero <= 32 || nonZero == 0, "a crop keeps 28..32 of row 0, or moves it out: "
                    + nonZero);
        }
    }

    @Test
    void cutoutBlanksOneSquareToTheMeanAndLeavesTheCropFlipStreamAsItWas() {
        byte[] pixels = new byte[3072];
        Arrays.fill(pixels, (byte) 200);
        ImageDataset d = ImageDataset.of(pixels, new byte[] {0}, List.of("a"));
        Normalization n = new Normalization(new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.25f, 0.25f, 0.25f});
        float inside = (200 / 255f - 0.5f) / 0.25f;
        float padding = -0.5f / 0.25f;
        int sawCut = 0;
        for (int e = 0; e < 20; e++) {
            BatchIterator cut = new BatchIterator(d, 1, n, Augmentation.CROP_FLIP_CUTOUT, true, 3);
            BatchIterator plain = new BatchIterator(d, 1, n, Augmentation.CROP_FLIP, true, 3);
            cut.setEpoch(e);
            plain.setEpoch(e);
            float[] a = cut.next().getFeatures().data().asFloat();
            float[] b = plain.next().getFeatures().data().asFloat();
            int minY = 32;
            int maxY = -1;
            int minX = 32;
            int maxX = -1;
            int blanked = 0;
            for (int i = 0; i < 3072; i++) {
                if (a[i] != b[i]) { // cutout is the only difference: the crop and flip draws come first
                    assertEquals(0f, a[i], 1e-6);
                    assertTrue(Math.abs(b[i] - inside) < 1e-5 || Math.abs(b[i] - padding) < 1e-5,
                            "only image or padding pixels change: " + b[i]);
                    int y = i % 1024 / 32;
                    int x = i % 32;
                    minY = Math.min(minY, y);
                    maxY = Math.max(maxY, y);
                    minX = Math.min(minX, x);
                    maxX = Math.max(maxX, x);
                    blanked++;
                }
            }
            assertEquals(blanked, 3 * (maxY - minY + 1) * (maxX - minX + 1), "one rectangle in all three planes");
            assertTrue(maxY - minY < BatchIterator.CUTOUT && maxX - minX < BatchIterator.CUTOUT);
            assertTrue(maxY - minY >= BatchIterator.CUTOUT / 2 - 1 && maxX - minX >= BatchIterator.CUTOUT / 2 - 1,
                    "the centre lies in the image, so at least half of each side is inside");
            sawCut += blanked > 0 ? 1 : 0;
        }
        assertEquals(20, sawCut);
    }

    @Test
    void epochOrderDependsOnlyOnSeedAndEpoch() {
        ImageDataset d = TestData.random(10, 4, 1);
        BatchIterator a = new BatchIterator(d, 8, Normalization.none(), Augmentation.CROP_FLIP, true, 99);
        BatchIterator b = new BatchIterator(d, 8, Normalization.none(), Augmentation.CROP_FLIP, true, 99);
        a.setEpoch(0);
        a.next();
        a.setEpoch(3);
        b.setEpoch(3); // jumps straight to epoch 3, as a resumed run does
        assertEquals(a.next().getFeatures(), b.next().getFeatures());
        a.setEpoch(4);
        b.setEpoch(5);
        assertNotEquals(a.next().getLabels(), b.next().getLabels());
        assertEquals(5, a.batchesPerEpoch());
    }

    @Test
    void normalizationStatisticsArePerChannel() {
        byte[] pixels = new byte[2 * 3072];
        Arrays.fill(pixels, 0, 1024, (byte) 255); // image 0 red = 255
        Arrays.fill(pixels, 3072 + 1024, 3072 + 2048, (byte) 51); // image 1 green = 51
        Normalization n = Normalization.compute(ImageDataset.of(pixels, new byte[2], List.of("a")));
        assertArrayEquals(new float[] {0.5f, 0.1f, 0f}, n.mean(), 1e-6f);
        assertArrayEquals(new float[] {0.5f, 0.1f, 1e-3f}, n.std(), 1e-6f);
    }

    /** n copies of one image whose pixel value is 8 x (column), or 8 x (row) with {@code rows}. */
    private static ImageDataset ramps(int n, boolean rows) {
        byte[] pixels = new byte[n * 3072];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        pixels[i * 3072 + c * 1024 + y * 32 + x] = (byte) (8 * (rows ? y : x));
                    }
                }
            }
        }
        return ImageDataset.of(pixels, new byte[n], List.of("a"));
    }

    private static int pixel(INDArray f, int image, int y, int x) {
        return Math.round(f.getFloat(image, 0, y, x) * 255);
    }

    @Test
    void alternatingFlipMirrorsEveryImageOnEveryOtherEpoch() {
        int n = 200;
        Normalization identity = new Normalization(new float[3], new float[] {1, 1, 1});
        BatchIterator it = new BatchIterator(ramps(n, false), n, identity, Augmentation.ALTERNATING_FLIP_TRANSLATE,
                false, 9);
        boolean[][] mirrored = new boolean[3][n];
        for (int e = 0; e < 3; e++) {
            it.setEpoch(e);
            INDArray f = it.next().getFeatures();
            for (int i = 0; i < n; i++) {
                // columns 15 and 16 stay inside the image for every shift of up to 2 pixels
                int step = pixel(f, i, 10, 16) - pixel(f, i, 10, 15);
                assertEquals(8, Math.abs(step), "image " + i + " epoch " + e);
                mirrored[e][i] = step < 0;
            }
        }
        int first = 0;
        for (int i = 0; i < n; i++) {
            assertNotEquals(mirrored[0][i], mirrored[1][i], "image " + i + " flips between epochs 0 and 1");
            assertEquals(mirrored[0][i], mirrored[2][i], "image " + i + " is back in epoch 2");
            first += mirrored[0][i] ? 1 : 0;
        }
        assertTrue(first > 70 && first < 130, first + " of " + n + " start mirrored");
    }

    @Test
    void translateShiftsUpToTwoPixelsOverTheReflection() {
        int n = 200;
        Normalization identity = new Normalization(new float[3], new float[] {1, 1, 1});
        BatchIterator it = new BatchIterator(ramps(n, true), n, identity, Augmentation.ALTERNATING_FLIP_TRANSLATE,
                false, 9);
        INDArray f = it.next().getFeatures();
        java.util.Set<Integer> shifts = new java.util.TreeSet<>();
        for (int i = 0; i < n; i++) {
            int dy = pixel(f, i, 16, 5) / 8 - 16;
            shifts.add(dy);
            // the top row reads row |dy| of the image (reflection without repeating the edge), never padding
            assertEquals(8 * Math.abs(dy), pixel(f, i, 0, 5), "top row of image " + i + " shifted by " + dy);
            assertEquals(8 * (31 - Math.abs(dy)), pixel(f, i, 31, 5), "bottom row of image " + i);
        }
        assertEquals(java.util.Set.of(-2, -1, 0, 1, 2), shifts);
        assertEquals(0, BatchIterator.reflect(0, 32));
        assertEquals(2, BatchIterator.reflect(-2, 32));
        assertEquals(29, BatchIterator.reflect(33, 32));
    }
}
