package dev.cnnlab.tracker;

import io.restassured.RestAssured;
import io.restassured.config.JsonConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Specs and paths shared by the tracker tests. */
public final class Fixtures {
    private static final RestAssuredConfig DOUBLES = RestAssuredConfig.config().jsonConfig(
            JsonConfig.jsonConfig().numberReturnType(JsonPathConfig.NumberReturnType.DOUBLE));

    private Fixtures() {
    }

    /** A request whose JSON numbers read back as doubles, so accuracies compare with closeTo. */
    public static RequestSpecification givenDoubles() {
        return RestAssured.given().config(DOUBLES);
    }

    /**
     * The shared folder: -Dcnnlab.shared (the parent pom sets it to ../shared beside the repository), else
     * that same folder reached from this module's directory, where the tests run.
     */
    public static Path shared() {
        String p = System.getProperty("cnnlab.shared");
        return Path.of(p == null || p.isBlank() || p.contains("${") ? "../../../shared" : p);
    }

    /** CIFAR-10 training images, one folder per class. */
    public static Path cifarFolder() {
        return shared().resolve("datasets/cifar10/train");
    }

    /** A valid spec: 2 architectures x 2 batch sizes, 2 folds; name made unique per call. */
    public static Map<String, Object> spec(String dataset) {
        Map<String, Object> spec = new HashMap<>();
        spec.put("name", "test-" + UUID.randomUUID());
        spec.put("description", "made by a test");
        spec.put("dataset", dataset);
        spec.put("subset", 400);
        spec.put("heldOut", 40);
        spec.put("architectures", List.of("lenet5", "keras-cifar10"));
        spec.put("batchSizes", List.of(16, 32));
        spec.put("learningRates", List.of(0.001));
        spec.put("epochs", 1);
        spec.put("folds", 2);
        spec.put("optimizer", "adam");
        spec.put("schedule", "constant");
        spec.put("weightDecay", 0.0);
        spec.put("augmentation", "none");
        spec.put("seed", 7);
        spec.put("patience", 0);
        spec.put("finalFit", false);
        return spec;
    }
}
