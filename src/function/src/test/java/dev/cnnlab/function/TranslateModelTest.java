package dev.cnnlab.function;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnlab.inference.image.ImagePreprocessor;
import dev.cnnlab.inference.nn.CnnModel;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Serves the inference module's golden hflip-translate file: {@code GET /model} says so and counts
 * six forward passes, and {@code POST /predict} answers with the six views' probabilities, not the
 * plain network's.
 */
@QuarkusTest
@TestProfile(TranslateModelTest.TranslateModel.class)
public class TranslateModelTest {
    static final Path GOLDEN = Path.of("../inference/src/test/resources/dev/cnnlab/inference/format")
            .toAbsolutePath().normalize();
    static final Path TRANSLATE = GOLDEN.resolve("small-cnn-v1-hflip-translate.safetensors");

    /** The hflip-translate golden file instead of the plain one. */
    public static class TranslateModel implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cnnlab.model.path", TRANSLATE.toString());
        }
    }

    @Test
    void describesAndServesTheSixViews() throws IOException {
        CnnModel plain = CnnModel.load(GOLDEN.resolve("small-cnn-v1.safetensors"));
        CnnModel translate = CnnModel.load(TRANSLATE);
        long macs = given().get("/model").then().statusCode(200)
                .body("testTimeAugmentation", equalTo("hflip-translate"))
                .body("formatVersion", equalTo(1))
                .extract().jsonPath().getLong("macsPerImage");
        assertEquals(6 * plain.macsPerImage(), macs);
        byte[] jpeg = Files.readAllBytes(V2DefaultModelTest.CAT);
        float[] x = ImagePreprocessor.forModel(translate.metadata()).preprocess(jpeg);
        float[] served = V2InferenceTest.predictProbabilities(jpeg);
        assertArrayEquals(translate.predict(x), served, 1e-6f);
        float[] single = plain.predict(x);
        float change = 0;
        for (int i = 0; i < served.length; i++) {
            change = Math.max(change, Math.abs(served[i] - single[i]));
        }
        assertTrue(change > 1e-4, "the views change the served answer: " + change);
    }
}
