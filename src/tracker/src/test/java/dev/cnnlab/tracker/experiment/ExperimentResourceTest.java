package dev.cnnlab.tracker.experiment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cnnlab.tracker.Fixtures;
import dev.cnnlab.tracker.PostgresResource;
import dev.cnnlab.tracker.job.Job;
import dev.cnnlab.tracker.run.Fold;
import dev.cnnlab.tracker.run.Run;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(PostgresResource.class)
class ExperimentResourceTest {
    static final String DATASET = Fixtures.cifarFolder().toString();

    static Map<String, Object> create(Map<String, Object> spec) {
        return given().contentType(ContentType.JSON).body(spec)
                .when().post("/api/experiments")
                .then().statusCode(201).extract().jsonPath().getMap("");
    }

    @Test
    void createExpandsTheGridIntoRunsFoldsAndJobs() {
        Map<String, Object> spec = Fixtures.spec(DATASET);
        spec.put("learningRates", List.of(0.001, 0.01));
        Map<String, Object> created = create(spec);

        @SuppressWarnings("unchecked")
        List<Integer> runIds = (List<Integer>) created.get("runIds");
        assertEquals(8, runIds.size(), "2 architectures x 2 batch sizes x 2 learning rates");
        assertEquals(spec.get("name"), created.get("name"));
        assertEquals(8, created.get("runCount"));
        long experimentId = ((Number) created.get("id")).longValue();
        assertEquals(8, Run.count("experimentId", experimentId));
        for (Integer runId : runIds) {
            assertEquals(2, Fold.count("runId", runId.longValue()));
            assertEquals(2, Job.count("runId = ?1 and state = 'QUEUED' and kind = 'FOLD'", runId.longValue()));
        }

        given().when().get("/api/experiments/" + experimentId)
                .then().statusCode(200)
                .body("id", equalTo((int) experimentId))
                .body("dataset", equalTo(DATASET))
                .body("runsByStatus.QUEUED", equalTo(8))
                .body("runsByStatus.SUCCEEDED", equalTo(0))
                .body("spec.batchSizes", equalTo(List.of(16, 32)))
                .body("spec.folds", equalTo(2))
                .body("runIds", nullValue());
        given().when().get("/api/experiments")
                .then().statusCode(200)
                .body("id", hasItem((int) experimentId))
                .body("find { it.id == " + experimentId + " }.runCount", equalTo(8))
                .body("find { it.id == " + experimentId + " }.spec", nullValue());
    }

    @Test
    void defaultsFillOptionalFields() {
        Map<String, Object> spec = Map.of("name", "minimal", "dataset", DATASET, "architectures", List.of("lenet5"),
                "batchSizes", List.of(64), "epochs", 3, "folds", 3);
        long id = ((Number) create(spec).get("id")).longValue();
        given().when().get("/api/experiments/" + id).then().statusCode(200)
                .body("spec.learningRates", equalTo(List.of(0.001f)))
                .body("spec.optimizer", equalTo("adam"))
                .body("spec.schedule", equalTo("constant"))
                .body("spec.augmentation", equalTo("none"))
                .body("spec.seed", equalTo(42))
                .body("spec.finalFit", equalTo(false));
    }

    @Test
    void everyInvalidFieldIsNamedAndNothingIsStored() {
        long experimentsBefore = Experiment.count();
        long runsBefore = Run.count();
        Map<String, Object> bad = new java.util.HashMap<>();
        bad.put("name", "x".repeat(201));
        bad.put("dataset", "/no/such/folder");
        bad.put("subset", -1);
        bad.put("architectures", List.of("lenet5", "alexnet"));
        bad.put("batchSizes", List.of(32, 0, 5000));
        bad.put("learningRates", List.of(0.0, 101.0));
        bad.put("epochs", 0);
        bad.put("folds", 21);
        bad.put("optimizer", "rmsprop");
        bad.put("schedule", "linear");
        bad.put("weightDecay", -0.1);
        bad.put("augmentation", "mixup");
        bad.put("seed", "abc");
        bad.put("patience", -2);
        bad.put("finalFit", "yes");
        bad.put("batchsize", 12);

        given().contentType(ContentType.JSON).body(bad)
                .when().post("/api/experiments")
                .then().statusCode(400)
                .contentType(ContentType.JSON)
                .body("code", equalTo(400))
                .body("error", containsString("invalid request"))
                .body("violations.field", hasItems("name", "dataset", "subset", "architectures[1]", "batchSizes[1]",
                        "batchSizes[2]", "learningRates[0]", "learningRates[1]", "epochs", "folds", "optimizer",
                        "schedule", "weightDecay", "augmentation", "seed", "patience", "finalFit", "batchsize"))
                .body("violations.find { it.field == 'batchSizes[2]' }.message",
                        equalTo("must be between 1 and 4096, got 5000"))
                .body("violations.find { it.field == 'architectures[1]' }.message", containsString("alexnet"));
        assertEquals(experimentsBefore, Experiment.count());
        assertEquals(runsBefore, Run.count());
    }

    @Test
    void missingRequiredFieldsAreNamed() {
        given().contentType(ContentType.JSON).body("{}")
                .when().post("/api/experiments")
                .then().statusCode(400)
                .body("violations.field", hasItems("name", "dataset", "architectures", "batchSizes", "epochs", "folds"))
                .body("violations", hasSize(6));
    }

    @Test
    void gridLargerThan500RunsIsRejected() {
        Map<String, Object> spec = Fixtures.spec(DATASET);
        spec.put("architectures", List.of("lenet5", "keras-cifar10", "vgg16-bn", "resnet20"));
        spec.put("batchSizes", java.util.stream.IntStream.rangeClosed(1, 130).boxed().toList());
        given().contentType(ContentType.JSON).body(spec)
                .when().post("/api/experiments")
                .then().statusCode(400)
                .body("violations[0].message", containsString("520 runs"));
    }

    @Test
    void malformedJsonIs400WithJsonBody() {
        given().contentType(ContentType.JSON).body("{\"name\": \"x\", ")
                .when().post("/api/experiments")
                .then().statusCode(400)
                .contentType(ContentType.JSON)
                .body("code", equalTo(400))
                .body("error", containsString("malformed JSON"));
        given().contentType(ContentType.JSON).body("[1, 2]")
                .when().post("/api/experiments")
                .then().statusCode(400)
                .body("error", containsString("JSON object"));
    }

    @Test
    void unknownExperimentIs404() {
        given().when().get("/api/experiments/987654")
                .then().statusCode(404)
                .body("code", equalTo(404))
                .body("error", equalTo("experiment 987654 not found"));
        given().when().post("/api/experiments/987654/cancel").then().statusCode(404);
    }

    @Test
    void cancellingAnExperimentCancelsItsRunsAndQueuedJobs() {
        long id = ((Number) create(Fixtures.spec(DATASET)).get("id")).longValue();
        given().when().post("/api/experiments/" + id + "/cancel")
                .then().statusCode(200)
                .body("runsByStatus.CANCELLED", equalTo(4))
                .body("runsByStatus.QUEUED", equalTo(0));
        List<Long> runIds = Run.<Run>list("experimentId", id).stream().map(r -> r.id).toList();
        assertEquals(8, Job.count("runId in ?1 and state = 'CANCELLED'", runIds));
        assertEquals(8, Fold.count("runId in ?1 and status = 'CANCELLED'", runIds));
    }
}
