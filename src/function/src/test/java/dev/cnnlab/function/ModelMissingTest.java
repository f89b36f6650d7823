package dev.cnnlab.function;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Without a loadable model the app still starts, but is not ready and answers 503. */
@QuarkusTest
@TestProfile(ModelMissingTest.NoModel.class)
public class ModelMissingTest {

    public static class NoModel implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cnnlab.model.path", "target/no-such-model.safetensors");
        }
    }

    @Test
    void notReadyAndPredictIs503() {
        given().when().get("/q/health/ready")
                .then().statusCode(503)
                .body("status", equalTo("DOWN"))
                .body("checks[0].data.error", containsString("no-such-model"));
        given().contentType("image/png").body(new byte[] {1, 2, 3})
                .when().post("/predict")
                .then().statusCode(503).body("code", equalTo(503))
                .body("error", containsString("cannot load model"));
        given().when().get("/model").then().statusCode(503);
        // the Open Inference Protocol's probes and infer say the same, in its error shape
        given().when().get("/v2/health/live").then().statusCode(200).body("live", equalTo(true));
        given().when().get("/v2/health/ready").then().statusCode(503)
                .body("ready", equalTo(false));
        given().contentType("application/json").body("{}")
                .when().post("/v2/models/small-cnn-golden/infer")
                .then().statusCode(503).body("$", not(hasKey("code")))
                .body("error", containsString("cannot load model"));
    }
}
