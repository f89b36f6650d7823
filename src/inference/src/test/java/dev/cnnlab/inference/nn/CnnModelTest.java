package dev.cnnlab.inference.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnlab.inference.format.ModelArchive;
import dev.cnnlab.inference.format.ModelFormatException;
import dev.cnnlab.inference.format.Tensor;
import dev.cnnlab.inference.format.TestTimeAugmentation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CnnModelTest {

    static float[] randomInput(long seed, int n) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    @Test
    void everyOpMatchesNaiveReference() {
        ModelArchive archive = TestNets.everyOp(7);
        CnnModel model = CnnModel.of(archive);
        for (int s = 0; s < 5; s++) {
            float[] x = randomInput(s, model.inputLength());
            float[] expected = ReferenceForward.run(archive, x);
            assertArrayEquals(expected, model.predict(x), 1e-5f, "input seed " + s);
        }
    }

    @Test
    void smallCnnMatchesNaiveReferenceAndSumsToOne() {
        ModelArchive archive = TestNets.smallCnn(3);
        CnnModel model = CnnModel.of(archive);
        float[] x = randomInput(11, model.inputLength());
        float[] probs = model.predict(x);
        assertArrayEquals(ReferenceForward.run(archive, x), probs, 1e-5f);
        float sum = 0;
        for (float p : probs) {
            sum += p;
        }
        assertEquals(1f, sum, 1e-5f);
    }

    @Test
    void convolutionsWithFewPositionsAndManyChannelsMatchReference() {
        // 5x5 -> 3x3 (9 positions) with 24 channels, then 2x2 (4 positions) with 12: these run
        // as transposed products (positions < channels), with batch norm folded and relu fused
        ModelArchive archive = new TestNets(21, 6, 5, 5)
                .conv("a", "input", 6, 24, 3, 2, 1, 1, 1, 1).bn("abn", "a", 24)
                .op("ar", "relu", "abn")
                .conv("b", "ar", 24, 12, 2, 1, 0, 0, 0, 0).op("br", "relu", "b")
                .op("f", "flatten", "br").dense("d", "f", 48, 3).op("s", "softmax", "d")
                .archive(3);
        CnnModel model = CnnModel.of(archive);
        for (int s = 0; s < 3; s++) {
            float[] x = randomInput(40 + s, model.inputLength());
            assertArrayEquals(ReferenceForward.run(archive, x), model.predict(x), 1e-5f);
        }
    }

    @Test
    void convolutionsSplitByChannelsPoolsByChannelsAndWideDenseSplitByOutputsMatchReference() {
        // 7x9 = 63 positions (under one kernel tile per thread) with 70 channels: the threads take
        // blocks of channels; a max pool over 70 channels and a dense layer with 600 outputs (not a
        // multiple of the 16-float chunk unit) split across threads too
        ModelArchive archive = new TestNets(41, 5, 7, 9)
                .conv("a", "input", 5, 70, 3, 1, 1, 1, 1, 1).op("ar", "relu", "a")
                .node("p", "maxpool", List.of("ar"), Map.of("kernel", List.of(2, 2)))
                .op("f", "flatten", "p").dense("d", "f", 70 * 3 * 4, 600).op("dr", "relu", "d")
                .dense("o", "dr", 600, 7).op("s", "softmax", "o").archive(7);
        CnnModel model = CnnModel.of(archive);
        for (int s = 0; s < 3; s++) {
            float[] x = randomInput(80 + s, model.inputLength());
            assertArrayEquals(ReferenceForward.run(archive, x), model.predict(x), 1e-5f);
        }
        assertArrayEquals(model.predict(randomInput(80, model.inputLength())),
                model.predictBatch(new float[][] {randomInput(80, model.inputLength())})[0], 1e-6f);
    }

    @Test
    void convolutionsSplitIntoChunksAcrossRaggedRowsMatchReference() {
        // 23x29 positions split into chunks whose edges fall inside output rows; strided,
        // asymmetrically padded and 1x1 convolutions take the other im2col branches
        ModelArchive archive = new TestNets(31, 3, 23, 29)
                .conv("a", "input", 3, 13, 3, 1, 1, 1, 1, 1).op("ar", "relu", "a")
                .conv("b", "ar", 13, 9, 3, 2, 0, 1, 1, 0)
                .conv("c", "b", 9, 21, 1, 1, 0, 0, 0, 0).op("cr", "relu", "c")
                .op("g", "globalavgpool", "cr").dense("d", "g", 21, 4)
                .op("s", "softmax", "d").archive(4);
        CnnModel model = CnnModel.of(archive);
        for (int s = 0; s < 3; s++) {
            float[] x = randomInput(60 + s, model.inputLength());
            assertArrayEquals(ReferenceForward.run(archive, x), model.predict(x), 1e-5f);
        }
    }

    @Test
    void geluMatchesTabulatedValues() {
        // 0.5 x (1 + erf(x / sqrt 2)): Phi(-1) = 0.15865525, Phi(1) = 0.84134475, Phi(2) = 0.97724987
        CnnModel model = CnnModel.of(new TestNets(1, 1, 1, 4).op("g", "gelu", "input").archive(4));
        assertArrayEquals(new float[] {-0.15865525f, 0f, 0.84134475f, 1.9544997f},
                model.predict(new float[] {-1, 0, 1, 2}), 1e-6f);
    }

    @Test
    void handComputedConvolutionWithPaddingAndStride() {
        // 1x3x3 input 1..9, one 2x2 kernel of ones, stride 2, padding 1 on all sides:
        // windows cover {1}, {2,3}, {4,7}, {5,6,8,9} -> 1, 5, 11, 28 (+ bias 0.5)
        ModelArchive a = new TestNets(0, 1, 3, 3)
                .node("c", "conv2d", List.of("input"), Map.of("stride", List.of(2, 2),
                        "padding", List.of(1, 1, 1, 1)))
                .op("f", "flatten", "c")
                .archive(4);
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("c.weight", new Tensor("c.weight", new int[] {1, 1, 2, 2}, new float[] {1, 1, 1, 1}));
        t.put("c.bias", new Tensor("c.bias", new int[] {1}, new float[] {0.5f}));
        CnnModel model = CnnModel.of(new ModelArchive(1, a.metadata(), t, ""));
        assertArrayEquals(new float[] {1.5f, 5.5f, 11.5f, 28.5f},
                model.predict(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}), 0f);
    }

    @Test
    void maxPool2x2WithBottomRightPaddingMatchesHandComputedValues() {
        // 2 channels of 3x3 (values 1..9, then 11..19), 2x2 stride 2, padding bottom and right as
        // DL4J's Same mode adds for an odd size: windows {1,2,4,5}, {3,6}, {7,8}, {9} -> 5, 6, 8, 9;
        // the padded last row and column must not read the next channel
        ModelArchive a = new TestNets(0, 2, 3, 3)
                .node("p", "maxpool", List.of("input"), Map.of("kernel", List.of(2, 2),
                        "padding", List.of(0, 1, 0, 1)))
                .op("f", "flatten", "p").archive(8);
        float[] x = new float[18];
        for (int i = 0; i < 9; i++) {
            x[i] = i + 1;
            x[9 + i] = i + 11;
        }
        assertArrayEquals(new float[] {5, 6, 8, 9, 15, 16, 18, 19}, CnnModel.of(a).predict(x), 0f);
    }

    @Test
    void rejectsBadWindowsNamingTheNode() {
        ModelArchive negative = new TestNets(0, 1, 4, 4)
                .conv("c", "input", 1, 2, 3, 1, -1, 1, 0, 0).op("f", "flatten", "c").archive(12);
        var e = assertThrows(ModelFormatException.class, () -> CnnModel.of(negative));
        assertTrue(e.getMessage().contains("'c'") && e.getMessage().contains("-1+1"),
                e.getMessage());
        ModelArchive tooBig = new TestNets(0, 1, 4, 4)
                .node("p", "maxpool", List.of("input"), Map.of("kernel", List.of(5, 5)))
                .op("f", "flatten", "p").archive(1);
        e = assertThrows(ModelFormatException.class, () -> CnnModel.of(tooBig));
        assertTrue(e.getMessage().contains("'p'") && e.getMessage().contains("kernel 5"),
                e.getMessage());
    }

    @Test
    void flattenIsChannelMajorLikeDl4j() {
        // 2 channels of 2x1: dense weight picks element 1 of the flattened [c][h][w] vector,
        // which is channel 0, row 1.
        ModelArchive a = new TestNets(0, 2, 2, 1).op("f", "flatten", "input")
                .node("d", "dense", List.of("f"), Map.of()).archive(1);
        Map<String, Tensor> t = Map.of("d.weight",
                new Tensor("d.weight", new int[] {4, 1}, new float[] {0, 1, 0, 0}));
        CnnModel model = CnnModel.of(new ModelArchive(1, a.metadata(), t, ""));
        assertArrayEquals(new float[] {20f}, model.predict(new float[] {10, 20, 30, 40}), 0f);
    }

    @Test
    void hflipAveragesTheImageAndItsMirror() {
        ModelArchive plain = TestNets.everyOp(7);
        ModelArchive flip = new ModelArchive(1, plain.metadata().with(plain.metadata().provenance(),
                TestTimeAugmentation.HFLIP), plain.tensors(), "");
        CnnModel model = CnnModel.of(flip);
        assertEquals(2 * CnnModel.of(plain).macsPerImage(), model.macsPerImage());
        float[][] batch = new float[3][];
        double largestChange = 0;
        for (int s = 0; s < batch.length; s++) {
            float[] x = randomInput(s, model.inputLength());
            float[] mirrored = new float[x.length];
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 12; y++) {
                    for (int col = 0; col < 12; col++) {
                        mirrored[(c * 12 + y) * 12 + col] = x[(c * 12 + y) * 12 + 11 - col];
                    }
                }
            }
            float[] a = ReferenceForward.run(plain, x);
            float[] b = ReferenceForward.run(plain, mirrored);
            float[] expected = new float[a.length];
            for (int i = 0; i < a.length; i++) {
                expected[i] = (a[i] + b[i]) / 2;
                largestChange = Math.max(largestChange, Math.abs(expected[i] - a[i]));
            }
            assertArrayEquals(expected, model.predict(x), 1e-5f, "input seed " + s);
            batch[s] = x;
        }
        assertTrue(largestChange > 1e-3, "the mirror changes the output: " + largestChange);
        float[][] out = model.predictBatch(batch);
        for (int i = 0; i < batch.length; i++) {
            assertArrayEquals(model.predict(batch[i]), out[i], 0f, "image " + i);
        }
    }

    @Test
    void batchEqualsSingleImagePredictions() {
        CnnModel model = CnnModel.of(TestNets.smallCnn(5));
        float[][] batch = new float[9][];
        for (int i = 0; i < batch.length; i++) {
            batch[i] = randomInput(100 + i, model.inputLength());
        }
        float[][] out = model.predictBatch(batch);
        for (int i = 0; i < batch.length; i++) {
            assertArrayEquals(model.predict(batch[i]), out[i], 0f, "image " + i);
        }
    }

    @Test
    void predictIntoCallerArrayAllocatesNothingAfterWarmUp() {
        var threads = (com.sun.management.ThreadMXBean)
                java.lang.management.ManagementFactory.getThreadMXBean();
        CnnModel model = CnnModel.of(TestNets.smallCnn(4));
        float[] x = randomInput(8, model.inputLength());
        float[] out = new float[model.outputLength()];
        long id = Thread.currentThread().getId();
        // warm-up ends when the JIT has compiled the kernels (the Vector API allocates until
        // C2 compiles it); one small array per call would already be 50 * 16+ bytes
        long allocated = Long.MAX_VALUE;
        for (int round = 0; round < 400 && allocated >= 400; round++) {
            long before = threads.getThreadAllocatedBytes(id);
            for (int i = 0; i < 50; i++) {
                model.predict(x, out);
            }
            allocated = threads.getThreadAllocatedBytes(id) - before;
        }
        assertTrue(allocated < 400, allocated + " bytes allocated in 50 predictions");
    }

    @Test
    void rejectsWrongInputLength() {
        CnnModel model = CnnModel.of(TestNets.smallCnn(1));
        var e = assertThrows(IllegalArgumentException.class,
                () -> model.predict(new float[3 * 31 * 31]));
        assertTrue(e.getMessage().contains("2883"), e.getMessage());
        assertTrue(e.getMessage().contains("3072"), e.getMessage());
    }

    @Test
    void rejectsWeightShapeThatDisagreesWithTheGraph() {
        ModelArchive good = TestNets.smallCnn(1);
        Map<String, Tensor> t = new LinkedHashMap<>(good.tensors());
        t.put("conv2.weight", new Tensor("conv2.weight", new int[] {8, 4, 3, 3}, new float[288]));
        var e = assertThrows(ModelFormatException.class,
                () -> CnnModel.of(new ModelArchive(1, good.metadata(), t, "")));
        assertTrue(e.getMessage().contains("conv2.weight"), e.getMessage());
        assertTrue(e.getMessage().contains("[8, 4, 3, 3]"), e.getMessage());
    }

    @Test
    void rejectsUnusedTensorAndMissingTensor() {
        ModelArchive good = TestNets.smallCnn(1);
        Map<String, Tensor> extra = new LinkedHashMap<>(good.tensors());
        extra.put("stray", new Tensor("stray", new int[] {1}, new float[1]));
        var e = assertThrows(ModelFormatException.class,
                () -> CnnModel.of(new ModelArchive(1, good.metadata(), extra, "")));
        assertTrue(e.getMessage().contains("stray"), e.getMessage());
        Map<String, Tensor> missing = new LinkedHashMap<>(good.tensors());
        missing.remove("bn2.var");
        e = assertThrows(ModelFormatException.class,
                () -> CnnModel.of(new ModelArchive(1, good.metadata(), missing, "")));
        assertTrue(e.getMessage().contains("bn2.var"), e.getMessage());
    }

    @Test
    void foldsBatchNormAndFusesRelu() {
        CnnModel model = CnnModel.of(TestNets.smallCnn(1));
        // 14 graph nodes; bn1 and relu1 fold into conv1, bn2 into conv2, relu2 into add,
        // relu3 into conv3
        assertEquals(9, model.compiledOpCount());
    }
}
