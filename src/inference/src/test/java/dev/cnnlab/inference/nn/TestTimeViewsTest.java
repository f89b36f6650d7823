package dev.cnnlab.inference.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnlab.inference.format.ModelArchive;
import dev.cnnlab.inference.format.ModelFormatException;
import dev.cnnlab.inference.format.TestTimeAugmentation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link TestTimeAugmentation#HFLIP_TRANSLATE} in the engine against {@link TranslateReference}. */
class TestTimeViewsTest {

    static ModelArchive withTestTime(ModelArchive a, TestTimeAugmentation t) {
        return new ModelArchive(1, a.metadata().with(a.metadata().provenance(), t), a.tensors(), "");
    }

    /** A 2x5x7 input (not square, so height and width cannot be confused) with large logits. */
    static ModelArchive wide(boolean softmax) {
        TestNets net = new TestNets(31, 2, 5, 7).conv("c", "input", 2, 6, 3, 1, 1, 1, 1, 1)
                .op("r", "relu", "c").op("f", "flatten", "r").dense("d", "f", 6 * 5 * 7, 4);
        return (softmax ? net.op("s", "softmax", "d") : net).archive(4);
    }

    static float maxDifference(float[] a, float[] b) {
        float d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }

    @Test
    void softmaxOfSixViewsWeightedMeanLogitsMatchesAirbenchWrittenOut() {
        for (ModelArchive plain : List.of(TestNets.everyOp(7), wide(true))) {
            CnnModel model = CnnModel.of(withTestTime(plain, TestTimeAugmentation.HFLIP_TRANSLATE));
            CnnModel logits = CnnModel.of(TranslateReference.logitsModel(plain));
            CnnModel flip = CnnModel.of(withTestTime(plain, TestTimeAugmentation.HFLIP));
            int[] shape = plain.metadata().inputShape();
            float largestChange = 0;
            for (int s = 0; s < 3; s++) {
                float[] x = CnnModelTest.randomInput(s, model.inputLength());
                float[] expected = TranslateReference.predict(logits::predict, x, shape, true);
                float[] got = model.predict(x);
                assertArrayEquals(expected, got, 1e-5f, plain.metadata().name() + " seed " + s);
                float sum = 0;
                for (float p : got) {
                    sum += p;
                }
                assertEquals(1f, sum, 1e-5f);
                largestChange = Math.max(largestChange, maxDifference(got, flip.predict(x)));
            }
            assertTrue(largestChange > 1e-3, "the translated views change the output: " + largestChange);
        }
    }

    @Test
    void averagesLogitsNotProbabilities() {
        // the mean of the six views' probabilities is a different number when logits are large
        ModelArchive plain = wide(true);
        CnnModel model = CnnModel.of(withTestTime(plain, TestTimeAugmentation.HFLIP_TRANSLATE));
        CnnModel probabilities = CnnModel.of(plain);
        float[] x = CnnModelTest.randomInput(5, model.inputLength());
        float[] meanOfProbabilities = TranslateReference.predict(probabilities::predict, x,
                plain.metadata().inputShape(), false);
        float[] got = model.predict(x);
        assertTrue(maxDifference(meanOfProbabilities, got) > 1e-3,
                "probability mean " + java.util.Arrays.toString(meanOfProbabilities) + " vs "
                        + java.util.Arrays.toString(got));
    }

    @Test
    void graphWithoutSoftmaxGetsTheWeightedMeanOfItsOutputs() {
        ModelArchive plain = wide(false);
        CnnModel model = CnnModel.of(withTestTime(plain, TestTimeAugmentation.HFLIP_TRANSLATE));
        CnnModel outputs = CnnModel.of(plain);
        float[] x = CnnModelTest.randomInput(9, model.inputLength());
        assertArrayEquals(TranslateReference.predict(outputs::predict, x, plain.metadata().inputShape(), false),
                model.predict(x), 1e-5f);
    }

    @Test
    void batchEqualsSingleImagesAndCostsSixForwardPasses() {
        ModelArchive plain = TestNets.smallCnn(5);
        CnnModel model = CnnModel.of(withTestTime(plain, TestTimeAugmentation.HFLIP_TRANSLATE));
        assertEquals(6 * CnnModel.of(plain).macsPerImage(), model.macsPerImage());
        float[][] batch = new float[7][];
        for (int i = 0; i < batch.length; i++) {
            batch[i] = CnnModelTest.randomInput(200 + i, model.inputLength());
        }
        float[][] out = model.predictBatch(batch);
        for (int i = 0; i < batch.length; i++) {
            assertArrayEquals(model.predict(batch[i]), out[i], 0f, "image " + i);
        }
    }

    @Test
    void rejectsAnInputTooSmallToReflectNamingItsSize() {
        ModelArchive tiny = new TestNets(1, 1, 1, 4).op("f", "flatten", "input")
                .dense("d", "f", 4, 2).archive(2);
        var e = assertThrows(ModelFormatException.class,
                () -> withTestTime(tiny, TestTimeAugmentation.HFLIP_TRANSLATE));
        assertTrue(e.getMessage().contains("1x4") && e.getMessage().contains("hflip-translate"),
                e.getMessage());
        CnnModel.of(withTestTime(tiny, TestTimeAugmentation.HFLIP)); // a mirror needs no padding
    }

    @Test
    void hflipStillAveragesProbabilities() {
        ModelArchive plain = wide(true);
        CnnModel model = CnnModel.of(withTestTime(plain, TestTimeAugmentation.HFLIP));
        CnnModel probabilities = CnnModel.of(plain);
        float[] x = CnnModelTest.randomInput(3, model.inputLength());
        float[] mirrored = new float[x.length];
        for (int row = 0; row < x.length / 7; row++) {
            for (int i = 0; i < 7; i++) {
                mirrored[row * 7 + i] = x[row * 7 + 6 - i];
            }
        }
        float[] a = probabilities.predict(x);
        float[] b = probabilities.predict(mirrored);
        float[] expected = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            expected[i] = (a[i] + b[i]) * 0.5f;
        }
        assertArrayEquals(expected, model.predict(x), 0f);
    }
}
