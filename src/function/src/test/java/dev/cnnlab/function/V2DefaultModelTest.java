package dev.cnnlab.function;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A V2 infer request as the spec writes one (a BYTES input of one encoded image, the labels
 * output asked for by name), against the served default model: its probabilities are
 * {@code POST /predict}'s for the same JPEG.
 */
@QuarkusTest
@TestProfile(V2DefaultModelTest.DefaultModel.class)
public class V2DefaultModelTest {
    static final Path DEFAULT_MODEL = Path.of("../../models/default").toAbsolutePath().normalize();
    static final Path CAT = Path.of("src/test/resources/images/cifar-cat.jpg");

    /** The repository's default model instead of the golden test model. */
    public static class DefaultModel implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cnnlab.model.path", DEFAULT_MODEL.toString());
        }
    }

    @Test
    void inferOnTheDefaultModelAnswersAsPredictDoes() throws IOException {
        byte[] jpeg = Files.readAllBytes(CAT);
        String name = given().get("/model").then().statusCode(200).extract().path("name");
        String request = """
                {
                  "id" : "42",
                  "inputs" : [
                    {
                      "name" : "image",
                      "shape" : [ 1 ],
                      "datatype" : "BYTES",
                      "data" : [ "%s" ]
                    }
                  ],
                  "outputs" : [
                    { "name" : "probabilities" },
                    { "name" : "labels" }
                  ]
                }""".formatted(V2InferenceTest.base64(jpeg));
        JsonPath answer = given().contentType("application/json").body(request)
                .post("/v2/models/" + name + "/infer").then().statusCode(200)
                .body("model_name", equalTo(name))
                .body("id", equalTo("42"))
                .body("outputs[0].name", equalTo("probabilities"))
                .body("outputs[0].datatype", equalTo("FP32"))
                .body("outputs[1].name", equalTo("labels"))
                .body("outputs[1].data[0]", equalTo("cat"))
                .extract().jsonPath();
        assertEquals(List.of(1, 10), answer.getList("outputs[0].shape", Integer.class));
        // POST /predict decides the format by the bytes, whatever image/* type is sent
        float[] viaPredict = V2InferenceTest.predictProbabilities(jpeg);
        assertArrayEquals(viaPredict, V2InferenceTest.floats(answer, "outputs[0].data"), 0f);
    }
}
