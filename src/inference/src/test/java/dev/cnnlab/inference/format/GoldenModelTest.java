package dev.cnnlab.inference.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnlab.inference.nn.CnnModel;
import dev.cnnlab.inference.nn.TestNets;
import dev.cnnlab.inference.nn.TranslateReference;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Reads the committed golden files of each format version (F32 weights and, from the same
 * weights, F16 weights); a reader change that breaks old files fails here. A golden file is
 * written by {@link #generateModel}, run once by hand: {@code java ... GoldenModelTest
 * src/inference/src/test/resources/dev/cnnlab/inference/format f16} (or {@code f32}, or
 * {@code hflip-translate}).
 */
class GoldenModelTest {
    static final String GOLDEN_V1 = "small-cnn-v1.safetensors";
    static final String GOLDEN_V1_F16 = "small-cnn-v1-f16.safetensors";
    /** Probabilities of {@link #checkerboard()} computed when the v1 golden file was written. */
    static final float[] EXPECTED_V1_PROBS = {
        0.04079103f, 0.05475241f, 0.08901344f, 0.10485598f, 0.1920004f,
        0.047516737f, 0.076408245f, 0.05796211f, 0.18314058f, 0.15355907f,
    };
    static final String GOLDEN_V1_SHA256 =
            "1135bcde30bc8b70e016dc7b255cd261f215d90c98daf91fb8253bd0b3e9b0e4";
    /** Probabilities of {@link #checkerboard()} computed when the v1 F16 golden file was written. */
    static final float[] EXPECTED_V1_F16_PROBS = {
        0.040785503f, 0.05475906f, 0.08899689f, 0.104874514f, 0.19198209f,
        0.04750352f, 0.07641691f, 0.05796167f, 0.18312033f, 0.15359953f,
    };
    static final String GOLDEN_V1_F16_SHA256 =
            "0d40005bb109fd7ac77335443a32abfc7abd27b3a4cfd26b87b42f34d0a5e81b";
    /** The v1 weights (F32) with {@code testTimeAugmentation} hflip-translate. */
    static final String GOLDEN_V1_TRANSLATE = "small-cnn-v1-hflip-translate.safetensors";
    /** Probabilities of {@link #checkerboard()} computed when the hflip-translate golden file was written. */
    static final float[] EXPECTED_V1_TRANSLATE_PROBS = {
        0.04123726f, 0.060341004f, 0.10180912f, 0.10854613f, 0.16218923f,
        0.04656882f, 0.08822263f, 0.064750224f, 0.16628268f, 0.1600529f,
    };
    static final String GOLDEN_V1_TRANSLATE_SHA256 =
            "b691bb4838f2bf4b376c498bf5932d8367fc7cf66dc59a8d2c0d2cb2d28dbb92";

    /** A normalized 3x32x32 checkerboard of 4-pixel squares, channels scaled differently. */
    static float[] checkerboard() {
        float[] x = new float[3 * 32 * 32];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 32; y++) {
                for (int i = 0; i < 32; i++) {
                    x[(c * 32 + y) * 32 + i] = ((y / 4 + i / 4) % 2 == 0 ? 1f : -1f) * (c + 1) / 2f;
                }
            }
        }
        return x;
    }

    /**
     * Writes a golden version-1 file into {@code dir}: {@code weights} F32 or F16 without test-time
     * augmentation, or F32 weights with {@code testTime} hflip-translate.
     */
    static void generateModel(Path dir, Dtype weights, TestTimeAugmentation testTime) throws IOException {
        ModelArchive a = TestNets.smallCnn(2026);
        boolean translate = testTime == TestTimeAugmentation.HFLIP_TRANSLATE;
        String suffix = weights == Dtype.F16 ? "-f16" : translate ? "-" + testTime.json() : "";
        ModelMetadata m = new ModelMetadata("small-cnn-golden", "test-small-cnn",
                a.metadata().inputShape(), new float[] {0.4914f, 0.4822f, 0.4465f},
                new float[] {0.2470f, 0.2435f, 0.2616f},
                java.util.List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog",
                        "horse", "ship", "truck"),
                a.metadata().graph(),
                Map.of("runId", "golden-v1" + suffix, "dataset", "none (random weights)",
                        "accuracy", "0.1", "createdAt", "2026-11-28T10:30:00Z",
                        "architecture", "test-small-cnn"), testTime);
        Path file = dir.resolve(weights == Dtype.F16 ? GOLDEN_V1_F16 : translate ? GOLDEN_V1_TRANSLATE : GOLDEN_V1);
        String sha = ModelFile.write(file, m, a.tensors().values(), weights);
        float[] probs = CnnModel.of(ModelFile.read(file)).predict(checkerboard());
        System.out.println("sha256 " + sha);
        System.out.println(java.util.Arrays.toString(probs).replace("]", "f").replace(", ", "f, "));
    }

    /**
     * Writes a golden file (only when the format changes: add a new file, keep the old ones).
     *
     * @param args the output directory and f32, f16 or hflip-translate
     */
    public static void main(String[] args) throws IOException {
        boolean translate = args[1].equals(TestTimeAugmentation.HFLIP_TRANSLATE.json());
        generateModel(Path.of(args[0]), translate ? Dtype.F32 : Dtype.parse(args[1]),
                translate ? TestTimeAugmentation.HFLIP_TRANSLATE : TestTimeAugmentation.NONE);
    }

    @Test
    void readsModelWrittenByFormatV1() throws IOException {
        try (InputStream in = getClass().getResourceAsStream(GOLDEN_V1)) {
            ModelArchive archive = ModelFile.read(in, GOLDEN_V1_SHA256);
            assertEquals(1, archive.formatVersion());
            assertEquals("small-cnn-golden", archive.metadata().name());
            assertEquals("cat", archive.metadata().labels().get(3));
            assertEquals("golden-v1", archive.metadata().provenance().get("runId"));
            CnnModel model = CnnModel.of(archive);
            assertArrayEquals(EXPECTED_V1_PROBS, model.predict(checkerboard()), 1e-6f);
        }
    }

    @Test
    void readsF16ModelWrittenByFormatV1() throws IOException {
        try (InputStream in = getClass().getResourceAsStream(GOLDEN_V1_F16)) {
            ModelArchive archive = ModelFile.read(in, GOLDEN_V1_F16_SHA256);
            assertEquals(1, archive.formatVersion());
            assertEquals("golden-v1-f16", archive.metadata().provenance().get("runId"));
            float[] probs = CnnModel.of(archive).predict(checkerboard());
            assertArrayEquals(EXPECTED_V1_F16_PROBS, probs, 1e-6f);
            // the same weights as the F32 file, rounded to half: close, not equal
            assertArrayEquals(EXPECTED_V1_PROBS, probs, 1e-3f);
            assertFalse(java.util.Arrays.equals(EXPECTED_V1_PROBS, probs));
        }
    }

    @Test
    void readsHflipTranslateModelWrittenByFormatV1() throws IOException {
        try (InputStream in = getClass().getResourceAsStream(GOLDEN_V1_TRANSLATE)) {
            ModelArchive archive = ModelFile.read(in, GOLDEN_V1_TRANSLATE_SHA256);
            assertEquals(1, archive.formatVersion());
            assertEquals(TestTimeAugmentation.HFLIP_TRANSLATE, archive.metadata().testTime());
            float[] probs = CnnModel.of(archive).predict(checkerboard());
            assertArrayEquals(EXPECTED_V1_TRANSLATE_PROBS, probs, 1e-6f);
            // the six views run by hand through the same weights without test-time augmentation
            CnnModel logits = CnnModel.of(TranslateReference.logitsModel(archive));
            assertArrayEquals(TranslateReference.predict(logits::predict, checkerboard(),
                    archive.metadata().inputShape(), true), probs, 1e-6f);
            float change = 0;
            for (int i = 0; i < probs.length; i++) {
                change = Math.max(change, Math.abs(probs[i] - EXPECTED_V1_PROBS[i]));
            }
            assertTrue(change > 1e-3, "the views change the prediction of the same weights: " + change);
        }
    }
}
